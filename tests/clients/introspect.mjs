// What introspection tools (GraphiQL's Docs, graphql-inspector, graphql-codegen) do first:
// the standard introspection query with every option graphql-js 16 knows, turned back into
// a schema. The schema served must be the committed schema.graphql, element for element.
// Usage: node introspect.mjs HTTP_URL TOKEN SCHEMA_FILE
import { readFileSync } from 'node:fs';
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from 'graphql';

const [url, token, file] = process.argv.slice(2);
if (!url || !token || !file) {
  console.error('usage: node introspect.mjs HTTP_URL TOKEN SCHEMA_FILE');
  process.exit(2);
}
const query = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
const response = await fetch(url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    authorization: `Bearer ${token}`,
  },
  body: JSON.stringify({ query, operationName: 'IntrospectionQuery' }),
});
const body = await response.json();
if (!response.ok || body.errors) {
  console.error(`introspection refused (${response.status}): ${JSON.stringify(body.errors)}`);
  process.exit(1);
}
// async-graphql 7 answers `__schema.description` with a fixed sentence about schemas in
// general (not ours, and not in its SDL): compare everything else.
delete body.data.__schema.description;
const print = (schema) => printSchema(lexicographicSortSchema(schema));
const served = print(buildClientSchema(body.data));
const committed = print(buildSchema(readFileSync(file, 'utf8')));
if (served !== committed) {
  const a = served.split('\n');
  const b = committed.split('\n');
  const line = a.findIndex((l, i) => l !== b[i]);
  console.error(`the served schema differs from ${file} at line ${line + 1} (sorted):`);
  console.error(`  served:    ${a.slice(line, line + 3).join("\n  ")}\n  committed: ${b.slice(line, line + 3).join("\n  ")}`);
  process.exit(1);
}
const types = Object.keys(body.data.__schema.types).length;
console.log(`introspection: ${types} types, identical to ${file}`);
