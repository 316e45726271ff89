// Runs an Apollo Gateway over a supergraph on loopback, for the end-to-end test: it forwards the
// caller's Authorization and Partnernet-Purpose headers to every subgraph, and prints the URL it
// listens on as its first line.
//
//   SUPERGRAPH=supergraph.graphql SUBGRAPH_URLS='{"partnernet":"http://127.0.0.1:8080/graphql"}' node gateway.mjs
import { readFileSync } from 'node:fs';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';

// No usage data leaves for Apollo's servers: the gateway would otherwise send metrics to Apollo
// and probe cloud metadata endpoints.
process.env.APOLLO_TELEMETRY_DISABLED = 'true';

const forwarded = ['authorization', 'partnernet-purpose'];
const urls = JSON.parse(process.env.SUBGRAPH_URLS ?? '{}');

const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(process.env.SUPERGRAPH ?? 'supergraph.graphql', 'utf8'),
  buildService({ name, url }) {
    return new RemoteGraphQLDataSource({
      url: urls[name] ?? url,
      willSendRequest({ request, context }) {
        for (const h of forwarded) {
          if (context.headers?.[h]) request.http.headers.set(h, context.headers[h]);
        }
      },
    });
  },
});

const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
const { url } = await startStandaloneServer(server, {
  listen: { host: '127.0.0.1', port: Number(process.env.PORT ?? 0) },
  context: async ({ req }) => ({ headers: req.headers }),
});
console.log(url);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.stop().then(() => process.exit(0)));
