// partnernet's GraphiQL (dev mode): GraphiQL from pinned npm packages, served by the binary
// itself, with the Authorization and Partnernet-Purpose headers prefilled and nothing kept
// after the tab closes.
import './workers.js'; // first: Monaco reads MonacoEnvironment when it loads
import 'graphiql/style.css';
import './page.css';
import { createRoot } from 'react-dom/client';
import { GraphiQL } from 'graphiql';
import { fetcher } from './fetcher.js';
import { memoryStorage } from './storage.js';

/** The header editor's content in a new tab: placeholders, which are not sent until filled in. */
const HEADERS = JSON.stringify(
  {
    Authorization: 'Bearer <paste a token>',
    'Partnernet-Purpose': '<a Purpose, such as ADVICE>',
  },
  null,
  2,
);

const QUERY = `# partnernet's GraphiQL (dev mode)
#
# Public data needs no token. To act for an
# organisation, paste a token into the Authorization
# header (partnernet token --org malmo --role
# coordinator); for newcomer data, declare the purpose
# in Partnernet-Purpose. Headers that still hold a
# <placeholder> are not sent. Nothing is stored: a
# reload forgets the token.

{
  programmes(first: 10) {
    totalCount
    edges { node { code name } }
  }
}
`;

createRoot(document.getElementById('graphiql')).render(
  <GraphiQL
    fetcher={fetcher}
    storage={memoryStorage()}
    shouldPersistHeaders={false}
    showPersistHeadersSettings={false}
    initialHeaders={HEADERS}
    defaultHeaders={HEADERS}
    defaultQuery={QUERY}
    initialQuery={QUERY}
    defaultEditorToolsVisibility="headers"
  />,
);
