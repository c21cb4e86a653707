// A graphql-ws round trip against a running server: the subscriber (a rep) subscribes to
// notificationReceived over /graphql/ws; the publisher (the council) publishes an
// announcement to every rep over HTTP; the subscriber must receive it as a notification.
// Then a bad token must be refused with close code 4401, the service's documented code.
// Usage: node subscribe.mjs HTTP_URL SUBSCRIBER_TOKEN PUBLISHER_TOKEN
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, subscriber, publisher] = process.argv.slice(2);
if (!url || !subscriber || !publisher) {
  console.error('usage: node subscribe.mjs HTTP_URL SUBSCRIBER_TOKEN PUBLISHER_TOKEN');
  process.exit(2);
}
const wsUrl = url.replace(/^http/, 'ws') + '/ws';
const fail = (message) => {
  console.error(`graphql-ws round trip: ${message}`);
  process.exit(1);
};
const deadline = setTimeout(() => fail('no event within 10 s'), 10_000);

const client = createClient({
  url: wsUrl,
  webSocketImpl: WebSocket,
  connectionParams: { Authorization: `Bearer ${subscriber}` },
  retryAttempts: 0,
});
const title = `graphql-ws round trip ${Date.now()}`;
const events = client.iterate({
  query: 'subscription { notificationReceived { id kind title } }',
});
// The subscription is active once the server acknowledged it; graphql-ws has no hook for
// that, so wait for the socket and a short moment before publishing.
await new Promise((resolve) => client.on('connected', resolve));
await new Promise((resolve) => setTimeout(resolve, 300));
const started = Date.now();
const published = await fetch(url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json',
    authorization: `Bearer ${publisher}`,
  },
  body: JSON.stringify({
    query: 'mutation($t: String!) { publishAnnouncement(input: {title: $t, body: "CI", audience: ALL_REPS}) { id } }',
    variables: { t: title },
  }),
}).then((r) => r.json());
if (published.errors) fail(`publishing failed: ${JSON.stringify(published.errors)}`);

for await (const event of events) {
  if (event.errors) fail(`subscription errors: ${JSON.stringify(event.errors)}`);
  const n = event.data.notificationReceived;
  if (n.title.includes(title)) {
    console.log(`graphql-ws: ${n.kind} received ${Date.now() - started} ms after publishing`);
    break;
  }
}
await client.dispose();

// A token that does not verify: the server closes the socket with 4401 (Unauthorized).
const code = await new Promise((resolve) => {
  const refused = createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: 'Bearer not-a-token' },
    retryAttempts: 0,
    on: { closed: (e) => resolve(e.code) },
  });
  refused.iterate({ query: 'subscription { notificationReceived { id } }' }).next().catch(() => {});
});
if (code !== 4401) fail(`a bad token closed with ${code}, expected 4401`);
console.log('graphql-ws: a bad token is closed with 4401');
clearTimeout(deadline);
