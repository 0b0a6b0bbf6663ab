// Monaco's workers, imported from our own source: Vite bundles each `?worker` import as a file of
// this origin (worker-src 'self'), in the dev server too. graphiql's own setup-workers/vite does
// the same from inside node_modules, where the dev server's dependency pre-bundling cannot.
import type { Environment } from 'monaco-editor';
import EditorWorker from 'monaco-editor/esm/vs/editor/editor.worker.js?worker';
import JsonWorker from 'monaco-editor/esm/vs/language/json/json.worker.js?worker';
import GraphQLWorker from 'monaco-graphql/esm/graphql.worker.js?worker';

const environment: Environment = {
  getWorker(_workerId, label) {
    if (label === 'json') return new JsonWorker();
    if (label === 'graphql') return new GraphQLWorker();
    return new EditorWorker();
  },
};
(globalThis as { MonacoEnvironment?: Environment }).MonacoEnvironment = environment;
