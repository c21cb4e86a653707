// graphql-http's audit of the GraphQL-over-HTTP spec against a running server.
// Usage: node audit.mjs URL TOKEN [--allow-should N]
// Prints one line per audit that is not ok and the totals per level; exits 1 on any failed
// MUST (and on fewer passed SHOULDs than --min-should, when given).
import { auditServer } from 'graphql-http';

const [url, token] = process.argv.slice(2);
const minShould = Number(process.env.MIN_SHOULD ?? 0);
if (!url || !token) {
  console.error('usage: node audit.mjs URL TOKEN');
  process.exit(2);
}
// Every request of the audit is a signed-in caller's: the service answers nobody else.
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};
const results = await auditServer({ url, fetchFn });
const totals = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] };
for (const r of results) {
  const level = r.name.split(' ')[0];
  totals[level][1] += 1;
  if (r.status === 'ok') {
    totals[level][0] += 1;
  } else {
    console.log(`${r.status} ${r.id} ${r.name}: ${r.reason}`);
  }
}
for (const [level, [ok, all]] of Object.entries(totals)) {
  console.log(`${level}: ${ok} of ${all}`);
}
const [mustOk, mustAll] = totals.MUST;
if (mustOk < mustAll || totals.SHOULD[0] < minShould) process.exit(1);
