// PostGraphile 5 as the benchmark's peer: the schema `peer` of the benchmark's database (views of
// the public tables that the shared workloads read, see bench/peer.go), served at /graphql on
// 127.0.0.1:<port> with a pool of <pool> connections. Started and stopped by bench/peer.go:
//
//   node server.mjs <port> <pool>        (DATABASE_URL in the environment)
//
// It prints "ready" once it answers.
import { createServer } from "node:http";
import { postgraphile } from "postgraphile";
import { grafserv } from "postgraphile/grafserv/node";
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const [port, pool] = process.argv.slice(2).map(Number);
const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["peer"],
      poolConfig: { max: pool },
    }),
  ],
  grafserv: { graphqlPath: "/graphql", watch: false, graphiql: false },
  grafast: { explain: false },
  schema: { pgForbidSetofFunctionsToReturnNull: true },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on("error", (e) => {
  console.error(e);
  process.exit(1);
});
serv.addTo(server).then(() => {
  server.listen(port, "127.0.0.1", () => console.log("ready"));
});
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => {
    server.close();
    pgl.release().finally(() => process.exit(0));
  });
}
