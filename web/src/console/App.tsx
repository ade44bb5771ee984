// The console's shell: the sign-in page, then a menu built from the areas' routes (only what
// the role may open) beside the page the path names.
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { can, login, logout, onSession, session, type Session } from '../lib/auth';
import { t } from '../lib/i18n';
import { match, navigate, useLocation } from '../lib/router';
import { Link } from '../ui/components';
import { routes } from './routes';

export function App() {
  const [current, setCurrent] = useState<Session | null>(session());
  useEffect(() => onSession(setCurrent), []);
  const { path } = useLocation();
  if (!current) return <Login />;

  const visible = routes.filter((r) => can(r.role));
  const nav = visible.filter((r) => r.nav).sort((a, b) => a.nav!.order - b.nav!.order);
  let page = null;
  for (const r of visible) {
    const params = match(r.path, path);
    if (params) {
      const Page = r.component;
      page = <Page params={params} />;
      break;
    }
  }
  const active = (to: string) => (to === '/' ? path === '/' : path === to || path.startsWith(to + '/'));
  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="topbar">
        <span class="brand">{t('app.name')}</span>
        <span class="who">{t('app.signedInAs', { user: current.username, role: t(`common.role.${current.role}`) })}</span>
        <button class="secondary" onClick={() => void logout().then(() => navigate('/'))}>
          {t('app.logout')}
        </button>
      </header>
      <nav class="sidebar" aria-label={t('app.nav')}>
        <ul>
          {nav.map((r) => (
            <li key={r.path}>
              <Link to={r.path} aria-current={active(r.path) ? 'page' : undefined}>
                {t(r.nav!.label)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" class="content" tabIndex={-1}>
        {page ?? <p>{t('app.notFound')}</p>}
      </main>
    </div>
  );
}

function Login() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await login(username, password);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? t('login.locked') : err instanceof ApiError && err.status === 401 ? t('login.failed') : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="login" id="main">
      <form class="card" onSubmit={submit}>
        <h1>{t('app.console')}</h1>
        <label>
          {t('login.username')}
          <input name="username" autoComplete="username" required value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}
