// GraphQL over WebSocket (the graphql-transport-ws protocol) against a running partnernet
// server, with the graphql-ws client.
//
// PARTNERNET_URL names the HTTP endpoint (for instance http://127.0.0.1:8080/graphql); the
// websocket is the same path with ws:. PARTNERNET_TOKEN and PARTNERNET_PUBLISHER_TOKEN sign
// in the cases that need it.
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

// PARTNERNET_PUBLISHER_TOKEN is a bearer token of a publisher of ABF: the test subscribes to
// activityChanged over the websocket, then creates and publishes an activity over HTTP, and
// expects the change to arrive.
test('a subscription over graphql-transport-ws receives a published activity', async (t) => {
  const token = process.env.PARTNERNET_PUBLISHER_TOKEN;
  if (!token) {
    t.skip('PARTNERNET_PUBLISHER_TOKEN is not set');
    return;
  }
  const title = `Språkcafé ${Date.now()}`;
  const c = client();
  try {
    let subscribed;
    const started = new Promise((resolve) => { subscribed = resolve; });
    const event = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no activityChanged event within 10 s')), 10_000);
      timer.unref();
      const dispose = c.subscribe(
        { query: `subscription { activityChanged(filter: { categories: [LANGUAGE_PRACTICE] }) { kind activity { title status } } }` },
        {
          next: (r) => {
            if (r.errors) { reject(new Error(JSON.stringify(r.errors))); return; }
            if (r.data.activityChanged.activity.title === title) { dispose(); resolve(r.data.activityChanged); }
          },
          error: (err) => reject(err instanceof Error ? err : new Error(JSON.stringify(err))),
          complete: () => reject(new Error('the subscription completed before the event')),
        },
      );
      // The server subscribes once connection_ack is in; give it a moment to hear changes.
      setTimeout(subscribed, 500);
    });
    await started;
    const gql = async (query, variables) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = await res.json();
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data;
    };
    const start = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const created = await gql(`mutation($in: ActivityInput!) { createActivity(input: $in) { id } }`, { in: {
      title, titleEn: 'Language café', description: 'Vi pratar svenska.', category: 'LANGUAGE_PRACTICE',
      languages: ['ar', 'sv'], targetGroups: ['EVERYONE'],
      location: { address: 'Storgatan 1, Malmö', municipalityCode: '1280' },
      schedule: { startsAt: start, durationMinutes: 90 }, contactEmail: 'info@abf.example',
    } });
    await gql(`mutation($id: ID!) { publishActivity(input: { activityId: $id }) { status } }`, { id: created.createActivity.id });
    const change = await event;
    assert.equal(change.kind, 'PUBLISHED');
    assert.equal(change.activity.status, 'PUBLISHED');
  } finally {
    await c.dispose();
  }
});
