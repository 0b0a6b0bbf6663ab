import './workers';
import 'graphiql/style.css';
import './explorer.css';
import { GraphiQL, type GraphiQLProps } from 'graphiql';
import { StrictMode, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

/** Where the console keeps its sign-in (providers/session.ts): a signed-in user needs no copying. */
const CONSOLE_TOKEN_KEY = 'accountable.token';

const DEFAULT_QUERY = `# Sign in, paste the token above (or set Authorization under Headers), run.
# The schema: Docs on the left, or Schema (SDL) above.
#
# mutation {
#   login(email: "admin@demo.local", password: "demo") { token }
# }

query Me {
  me { name email role }
}
`;

function hasAuthorization(headers: Record<string, unknown>): boolean {
  return Object.keys(headers).some((name) => name.toLowerCase() === 'authorization');
}

function Explorer() {
  const [token, setToken] = useState(() => localStorage.getItem(CONSOLE_TOKEN_KEY) ?? '');
  // Read at request time, so typing a token does not hand GraphiQL a new fetcher (and a new
  // introspection) on every keystroke.
  const tokenRef = useRef(token);
  useEffect(() => {
    tokenRef.current = token;
  }, [token]);

  const [fetcher] = useState((): GraphiQLProps['fetcher'] => async (params, options) => {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json;q=0.9',
      ...((options?.headers ?? {}) as Record<string, string>),
    };
    const bearer = tokenRef.current.trim().replace(/^Bearer\s+/i, '');
    // A header typed in the Headers editor wins over the token field.
    if (bearer && !hasAuthorization(headers)) headers.authorization = `Bearer ${bearer}`;
    const response = await fetch('/graphql', { method: 'POST', headers, body: JSON.stringify(params) });
    return response.json();
  });

  return (
    <div className="explorer">
      <header className="explorer-bar">
        <strong>Accountable API</strong>
        <label>
          Bearer token
          <input
            name="token"
            type="password"
            autoComplete="off"
            spellCheck={false}
            placeholder="paste a sign-in token or an API key"
            value={token}
            onChange={(event) => setToken(event.target.value)}
          />
        </label>
        <a href="/schema.graphql" target="_blank" rel="noreferrer">
          Schema (SDL)
        </a>
        <a href="/">Console</a>
      </header>
      <main className="explorer-main">
        <GraphiQL fetcher={fetcher} defaultQuery={DEFAULT_QUERY} />
      </main>
    </div>
  );
}

createRoot(document.getElementById('explorer')!).render(
  <StrictMode>
    <Explorer />
  </StrictMode>,
);
