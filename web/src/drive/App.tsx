// The driver portal: find a charger, start from a QR code, watch and stop, the receipt, past
// sessions, a problem report; in English, German or Dutch (the choice is remembered).
import { useEffect, useState } from 'preact/hooks';
import { type Lang, languages } from '../i18n';
import { currentLang, setLang, t } from '../lib/i18n';
import { match, navigate, useLocation } from '../lib/router';
import { Link } from '../ui/components';
import { driver, onDriver, signOut, type DriverSession } from './auth';
import { EvsePage } from './EvsePage';
import { FindPage } from './FindPage';
import { HistoryPage } from './HistoryPage';
import { LoginPage } from './LoginPage';
import { ReportPage } from './ReportPage';
import { SessionPage } from './SessionPage';

type Params = Record<string, string>;
const pages: { path: string; render: (p: Params) => preact.JSX.Element }[] = [
  { path: '/drive', render: () => <FindPage /> },
  { path: '/drive/evse/:uid', render: (p) => <EvsePage uid={p.uid} /> },
  { path: '/drive/evse/:uid/report', render: (p) => <ReportPage uid={p.uid} /> },
  { path: '/drive/login', render: () => <LoginPage /> },
  { path: '/drive/sessions', render: () => <HistoryPage /> },
  { path: '/drive/sessions/:id', render: (p) => <SessionPage id={p.id} /> },
];

export function App() {
  const [lang, setLangState] = useState<Lang>(currentLang());
  const [who, setWho] = useState<DriverSession | null>(driver());
  useEffect(() => onDriver(setWho), []);
  const { path } = useLocation();
  useEffect(() => {
    document.title = t('drive.brand');
  }, [lang]);

  let page = null;
  for (const p of pages) {
    const params = match(p.path, path);
    if (params) {
      page = p.render(params);
      break;
    }
  }
  const changeLang = (next: Lang) => {
    setLang(next);
    setLangState(next);
  };
  return (
    <div class="drive-shell" key={lang}>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="drive-top">
        <Link to="/drive" class="drive-brand">
          {t('drive.brand')}
        </Link>
        <label class="drive-lang">
          <span class="sr-only">{t('app.language')}</span>
          <select aria-label={t('app.language')} value={lang} onChange={(e) => changeLang((e.target as HTMLSelectElement).value as Lang)}>
            {languages.map((l) => (
              <option key={l} value={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </select>
        </label>
      </header>
      <nav class="drive-nav" aria-label={t('drive.nav')}>
        <Link to="/drive" aria-current={path === '/drive' ? 'page' : undefined}>
          {t('drive.nav.find')}
        </Link>
        <Link to="/drive/sessions" aria-current={path === '/drive/sessions' ? 'page' : undefined}>
          {t('drive.nav.sessions')}
        </Link>
        {who ? (
          <button class="linklike" onClick={() => void signOut().then(() => navigate('/drive'))}>
            {t('drive.nav.signOut')}
          </button>
        ) : (
          <Link to={`/drive/login?next=${encodeURIComponent(path)}`} aria-current={path === '/drive/login' ? 'page' : undefined}>
            {t('drive.nav.signIn')}
          </Link>
        )}
      </nav>
      <main id="main" class="drive" tabIndex={-1}>
        {page ?? <p>{t('drive.notFound')}</p>}
      </main>
    </div>
  );
}
