// Sends GraphiQL's operations to partnernet: queries and mutations by POST to /graphql,
// subscriptions over its websocket (graphql-transport-ws), with the headers of the header editor.
import { getOperationAST, parse } from 'graphql';
import { createClient } from 'graphql-ws';

/** A header value that is still a placeholder, such as "Bearer <paste a token>". */
const PLACEHOLDER = /<[^<>]*>/;

/**
 * Returns the headers worth sending: those with a value that is filled in. A header still holding
 * its <placeholder> is left out, so that public data can be read before a token is pasted.
 */
export function filledHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers || {})) {
    if (typeof value === 'string' && value.trim() !== '' && !PLACEHOLDER.test(value)) {
      out[name] = value;
    }
  }
  return out;
}

let ws = null; // the websocket client, and the headers it authenticated with

/**
 * Returns a websocket client authenticated with headers. Browsers cannot set headers on a
 * websocket, so partnernet reads them from connection_init's payload; a change of headers
 * opens a new connection.
 */
function websocket(headers) {
  const key = JSON.stringify(headers);
  if (ws && ws.key === key) {
    return ws.client;
  }
  if (ws) {
    ws.client.dispose();
  }
  const url = new URL('/graphql', location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  ws = { key, client: createClient({ url: url.href, connectionParams: headers, lazy: true, retryAttempts: 0 }) };
  return ws.client;
}

/**
 * Returns the operation params will run, read from the text being sent (GraphiQL's own parsed
 * document may still be the editor's previous text), so that a subscription never goes by POST.
 */
function operationOf(params) {
  try {
    return getOperationAST(parse(params.query), params.operationName);
  } catch {
    return null; // the server answers the syntax error
  }
}

/** GraphiQL's fetcher. */
export function fetcher(params, opts) {
  const headers = filledHeaders(opts && opts.headers);
  const op = operationOf(params);
  if (op && op.operation === 'subscription') {
    return websocket(headers).iterate(params);
  }
  return fetch('/graphql', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(params),
    credentials: 'omit',
  }).then((res) => res.json());
}
