// Composes subgraph schemas into a supergraph with Apollo's composition library, as a gateway
// or router would, and prints the supergraph SDL. Fails on any composition error, and on any
// hint: hints flag inconsistencies between subgraphs that are usually mistakes.
//
//   node compose.mjs name=schema-file=routing-url ... > supergraph.graphql
import { readFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

const services = process.argv.slice(2).map((arg) => {
  const [name, file, url] = arg.split('=');
  if (!name || !file || !url) {
    console.error(`usage: node compose.mjs name=schema-file=routing-url ...; got ${arg}`);
    process.exit(2);
  }
  return { name, url, typeDefs: parse(readFileSync(file, 'utf8')) };
});

const result = composeServices(services);
if (result.errors) {
  for (const e of result.errors) console.error(`composition error: ${e.extensions?.code ?? ''} ${e.message}`);
  process.exit(1);
}
if (result.hints.length > 0) {
  for (const h of result.hints) console.error(`composition hint: ${h.definition.code} ${h.message}`);
  process.exit(1);
}
process.stdout.write(result.supergraphSdl);
