// GraphQL over WebSocket (the graphql-transport-ws protocol) against a running partnernet
// server, with the graphql-ws client.
//
// PARTNERNET_URL names the HTTP endpoint (for instance http://127.0.0.1:8080/graphql); the
// websocket is the same path with ws:. The server must run with introspection (dev mode), which
// the subscription test uses to find the schema's subscription fields. Until the schema has a
// Subscription type that test is skipped, saying so; the transport test runs regardless.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const url = process.env.PARTNERNET_URL;
if (!url) {
  throw new Error('PARTNERNET_URL is required, for instance http://127.0.0.1:8080/graphql');
}
const wsURL = url.replace(/^http/, 'ws');

function client(connectionParams) {
  return createClient({ url: wsURL, webSocketImpl: WebSocket, retryAttempts: 0, lazy: true, connectionParams });
}

// Runs one operation to its end and returns every result it produced, or the first
// `take` of them. It gives up after ten seconds.
function run(c, payload, take = Infinity) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 10 s')), 10_000);
    timer.unref();
    const results = [];
    const dispose = c.subscribe(payload, {
      next: (r) => {
        results.push(r);
        if (results.length >= take) {
          dispose();
          resolve(results);
        }
      },
      error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
      complete: () => resolve(results),
    });
  });
}

test('a query over graphql-transport-ws', async () => {
  const c = client();
  try {
    const results = await run(c, { query: '{ programmes { totalCount } }' });
    assert.equal(results.length, 1);
    assert.equal(results[0].errors, undefined, JSON.stringify(results[0].errors));
    assert.equal(results[0].data.programmes.totalCount, 6);
  } finally {
    await c.dispose();
  }
});

test('an invalid operation over graphql-transport-ws is refused with a GraphQL error', async () => {
  const c = client();
  try {
    await assert.rejects(run(c, { query: '{ noSuchField }' }), (err) => {
      assert.match(JSON.stringify(err.message ?? err), /noSuchField|Cannot query field/);
      return true;
    });
  } finally {
    await c.dispose();
  }
});

// PARTNERNET_TOKEN, when set, is a bearer token of the principal PARTNERNET_SUBJECT: browsers
// cannot set headers on a websocket, so the client authenticates in connection_init.
test('a signed-in query over graphql-transport-ws', async (t) => {
  const token = process.env.PARTNERNET_TOKEN;
  if (!token) {
    t.skip('PARTNERNET_TOKEN is not set');
    return;
  }
  const c = client({ Authorization: `Bearer ${token}` });
  try {
    const results = await run(c, { query: '{ viewer { subject } }' });
    assert.equal(results[0].errors, undefined, JSON.stringify(results[0].errors));
    assert.equal(results[0].data.viewer.subject, process.env.PARTNERNET_SUBJECT);
  } finally {
    await c.dispose();
  }
  const bad = client({ Authorization: 'Bearer not-a-token' });
  try {
    await assert.rejects(run(bad, { query: '{ viewer { subject } }' }), 'a bad token closes the connection');
  } finally {
    await bad.dispose();
  }
});

test('a subscription over graphql-transport-ws', async (t) => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      query: `{ __schema { subscriptionType { fields { name args { name type { kind } } } } } }`,
    }),
  });
  const { data, errors } = await response.json();
  assert.equal(errors, undefined, JSON.stringify(errors));
  const fields = data.__schema.subscriptionType?.fields ?? [];
  if (fields.length === 0) {
    t.skip('the schema has no Subscription type yet: nothing to subscribe to (the transport test above ran)');
    return;
  }
  const field = fields.find((f) => f.args.every((a) => a.type.kind !== 'NON_NULL'));
  if (!field) {
    t.skip(`every subscription field needs arguments (${fields.map((f) => f.name).join(', ')}); add a case for one here`);
    return;
  }
  // Subscribe, and check that the server accepts the subscription and keeps it open: no
  // error arrives in the first second. Then end it from the client side.
  const c = client();
  try {
    const outcome = await new Promise((resolve) => {
      const dispose = c.subscribe(
        { query: `subscription { ${field.name} { __typename } }` },
        {
          next: (r) => resolve({ next: r }),
          error: (err) => resolve({ error: err }),
          complete: () => resolve({ complete: true }),
        },
      );
      setTimeout(() => {
        dispose();
        resolve({ open: true });
      }, 1000);
    });
    assert.equal(outcome.error, undefined, `subscription ${field.name} failed: ${JSON.stringify(outcome.error)}`);
    if (outcome.next) {
      assert.equal(outcome.next.errors, undefined, JSON.stringify(outcome.next.errors));
    }
  } finally {
    await c.dispose();
  }
});
