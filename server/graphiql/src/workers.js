// Monaco, GraphiQL's editor, runs its language services in web workers. They are bundled beside
// this script (build.mjs) and loaded from the server's own origin, as the page's content security
// policy allows (worker-src 'self'); nothing is fetched from anywhere else.
const base = document.currentScript ? document.currentScript.src : location.href;

globalThis.MonacoEnvironment = {
  getWorker(_workerId, label) {
    const file = { json: 'json.worker.js', graphql: 'graphql.worker.js' }[label] || 'editor.worker.js';
    return new Worker(new URL(file, base));
  },
};
