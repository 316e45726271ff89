// Builds partnernet's GraphiQL from the pinned packages (package-lock.json) into dist/, which is
// committed and embedded in the binary (graphiql.go): the page, its script and style, Monaco's
// web workers, and LICENSES.txt with the licence of every package bundled. The build is
// deterministic, so graphiql_test.go can rebuild into another folder and compare.
//
//   npm ci && node build.mjs [--outdir DIR]
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outdir = path.resolve(args[0] === '--outdir' && args[1] ? args[1] : path.join(here, 'dist'));

/** Licences the bundle may carry: permissive ones, whose notices LICENSES.txt reproduces. */
const ALLOWED = new Set(['MIT', 'ISC', 'BSD-2-Clause', 'BSD-3-Clause', 'Apache-2.0', '0BSD']);

/** Repositories that moved: the old address, as older packages name it, and the new one. */
const MOVED = { 'https://github.com/facebook/react': 'https://github.com/react/react' };

const common = {
  absWorkingDir: here,
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2022'],
  legalComments: 'none', // LICENSES.txt carries the full licences instead
  metafile: true,
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': '"production"' },
};

await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });

const app = await build({
  ...common,
  entryPoints: { graphiql: 'src/main.jsx' },
  outdir,
  jsx: 'automatic',
  loader: { '.ttf': 'file' },
  assetNames: '[name]',
});
const workers = await build({
  ...common,
  entryPoints: {
    'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
    'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
    'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
  },
  outdir,
});
await copyFile(path.join(here, 'src/index.html'), path.join(outdir, 'index.html'));

// The packages whose code or styles went into the bundle, with their licences.
const packages = new Map();
for (const meta of [app.metafile, workers.metafile]) {
  for (const input of Object.keys(meta.inputs)) {
    const m = input.match(/^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//);
    if (m && !packages.has(m[1])) {
      packages.set(m[1], null);
    }
  }
}
const bundled = [];
for (const dir of [...packages.keys()].sort()) {
  const pkg = JSON.parse(await readFile(path.join(here, dir, 'package.json'), 'utf8'));
  const license = typeof pkg.license === 'string' ? pkg.license : '';
  if (!ALLOWED.has(license)) {
    throw new Error(`${pkg.name}@${pkg.version} is licensed "${license}", which the bundle does not allow`);
  }
  const files = (await readdir(path.join(here, dir))).filter((f) => /^(licen[cs]e|copying|notice|thirdpartynotices)/i.test(f)).sort();
  const texts = await Promise.all(files.map((f) => readFile(path.join(here, dir, f), 'utf8')));
  const text = texts.join('\n').trim();
  bundled.push({ id: `${pkg.name}@${pkg.version}`, name: pkg.name, license, repo: repository(pkg), text, shipped: text !== '' });
}
// A few packages ship no licence file. Their licence is then that of a bundled package from the
// same repository (the monorepos of GraphiQL and React), or licenses/<name>.txt, copied from the
// package's repository.
for (const p of bundled.filter((p) => !p.shipped)) {
  const sibling = bundled.find((o) => o.shipped && o.repo && o.repo === p.repo);
  const own = path.join(here, 'licenses', `${p.name.replace('/', '__')}.txt`);
  if (sibling) {
    p.text = `(${p.id} ships no licence file: this is the licence of ${sibling.id}, from the same repository, ${p.repo}.)\n\n${sibling.text}`;
  } else {
    p.text = (await readFile(own, 'utf8').catch(() => {
      throw new Error(`${p.id} ships no licence file: add its licence, from ${p.repo || 'its repository'}, to ${path.relative(here, own)}`);
    })).trim();
  }
}
const rule = '='.repeat(78);
const notices = bundled.map((p) => `${rule}\n${p.id} (${p.license})\n${rule}\n\n${p.text}\n`);
await writeFile(
  path.join(outdir, 'LICENSES.txt'),
  `The licences of the ${notices.length} npm packages bundled in partnernet's GraphiQL (server/graphiql/dist).\n\n` +
    notices.join('\n'),
);

/** Returns the address of a package's source repository, normalised for comparison. */
function repository(pkg) {
  const url = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository && pkg.repository.url;
  if (!url) {
    return '';
  }
  const normalised = url
    .replace(/^git\+/, '')
    .replace(/^github:/, 'https://github.com/')
    .replace(/^git:\/\//, 'https://')
    .replace(/\.git$/, '')
    .replace(/\/$/, '');
  return MOVED[normalised] || normalised;
}
