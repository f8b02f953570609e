import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, loadSession, messageOf, type Session } from './api.js';
import { Alert } from './components.js';
import { AuditPage } from './pages/audit.js';
import { FlagsPage } from './pages/flags.js';
import { HealthPage } from './pages/health.js';
import { LoggingPage } from './pages/logging.js';
import { UsagePage } from './pages/usage.js';

type PageId = 'flags' | 'health' | 'audit' | 'logging' | 'usage';

const PAGES: { id: PageId; label: string; shown: (s: Session) => boolean }[] = [
  { id: 'flags', label: 'Flags', shown: (s) => s.areas.flags },
  { id: 'health', label: 'Health', shown: (s) => s.areas.health },
  { id: 'audit', label: 'Audit log', shown: (s) => s.areas.audit && s.can.auditLog },
  { id: 'logging', label: 'Logging', shown: (s) => s.areas.logging },
  { id: 'usage', label: 'AI usage', shown: (s) => s.areas.usage },
];

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash.replace(/^#\/?/, '');
}

function Current({ id, session }: { id: PageId; session: Session }) {
  switch (id) {
    case 'flags':
      return <FlagsPage session={session} />;
    case 'health':
      return <HealthPage />;
    case 'audit':
      return <AuditPage session={session} />;
    case 'logging':
      return <LoggingPage session={session} />;
    default:
      return <UsagePage session={session} />;
  }
}

function App() {
  const [session, setSession] = useState<Session | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const hash = useHash();
  useEffect(() => {
    loadSession().then(setSession, (err: unknown) =>
      setError(
        err instanceof ApiError && err.status === 401
          ? 'You are not signed in. Sign in to the application, then reload this page.'
          : messageOf(err),
      ),
    );
  }, []);
  const pages = session ? PAGES.filter((p) => p.shown(session)) : [];
  const current = pages.find((p) => p.id === hash) ?? pages[0];
  useTitle(current?.label);
  if (error)
    return (
      <main id="main">
        <h1>Admin console</h1>
        <Alert message={error} />
      </main>
    );
  if (!session)
    return (
      <main id="main">
        <p aria-busy="true">Loading…</p>
      </main>
    );
  return (
    <>
      <header>
        <nav aria-label="Console pages">
          <ul>
            {pages.map((p) => (
              <li key={p.id}>
                <a href={`#/${p.id}`} aria-current={p.id === current?.id ? 'page' : undefined}>
                  {p.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p class="who">
          {session.actor} · {session.role}
          {session.tenant && ` · tenant ${session.tenant}`}
        </p>
      </header>
      <main id="main">
        {current ? <Current id={current.id} session={session} /> : <p>Nothing to show.</p>}
      </main>
    </>
  );
}

function useTitle(label: string | undefined) {
  useEffect(() => {
    document.title = label ? `${label} · Admin console` : 'Admin console';
  }, [label]);
}

render(<App />, document.getElementById('app') as HTMLElement);
