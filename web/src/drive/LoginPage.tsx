// A driver signs in with the email and password their operator gave them; back to `next`.
import { useState } from 'preact/hooks';
import { ApiError } from '../lib/api';
import { t } from '../lib/i18n';
import { navigate } from '../lib/router';
import { signIn } from './auth';

/** Only a path inside the portal is a place to go back to. */
function nextPath(): string {
  const next = new URLSearchParams(location.search).get('next') || '/drive';
  return next.startsWith('/drive') && !next.startsWith('/drive/login') ? next : '/drive';
}

export function LoginPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      navigate(nextPath(), true);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429
          ? t('drive.login.locked')
          : err instanceof ApiError && (err.status === 401 || err.status === 403)
            ? t('drive.login.failed')
            : t('common.error', { detail: err instanceof Error ? err.message : String(err) }),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card stack" onSubmit={submit}>
      <h1>{t('drive.login.title')}</h1>
      <label>
        {t('drive.login.email')}
        <input type="email" autoComplete="username" required value={email} onInput={(e) => setEmail((e.target as HTMLInputElement).value)} />
      </label>
      <label>
        {t('drive.login.password')}
        <input
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword((e.target as HTMLInputElement).value)}
        />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" disabled={busy}>
        {t('drive.login.submit')}
      </button>
    </form>
  );
}
