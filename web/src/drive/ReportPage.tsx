// Report a problem with a charger (POST /drive/reports): a category, a description, a contact.
import { useState } from 'preact/hooks';
import { ApiError, post } from '../lib/api';
import { t } from '../lib/i18n';
import { Link } from '../ui/components';

const CATEGORIES = ['not_working', 'damaged', 'blocked', 'payment', 'other'] as const;
const MAX_TEXT = 1000;

export function ReportPage({ uid }: { uid: string }) {
  const [category, setCategory] = useState<string>('not_working');
  const [text, setText] = useState('');
  const [contact, setContact] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const back = `/drive/evse/${encodeURIComponent(uid)}`;
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await post<{ id: string | number }>('/drive/reports', {
        evse_uid: uid,
        category,
        text: text.trim(),
        ...(contact.trim() ? { contact: contact.trim() } : {}),
      });
      setSent(String(res.id));
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429
          ? t('drive.report.tooMany')
          : t('common.error', { detail: err instanceof Error ? err.message : String(err) }),
      );
    } finally {
      setBusy(false);
    }
  };
  if (sent !== null)
    return (
      <>
        <h1>{t('drive.report.title')}</h1>
        <p role="status">{t('drive.report.thanks', { id: sent })}</p>
        <Link to={back}>{t('drive.report.back')}</Link>
      </>
    );
  return (
    <form class="card stack" onSubmit={submit}>
      <h1>{t('drive.report.title')}</h1>
      <p class="muted">{t('drive.report.charger', { evse: uid })}</p>
      <label>
        {t('drive.report.category')}
        <select value={category} onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}>
          {CATEGORIES.map((c) => (
            <option key={c} value={c}>
              {t(`drive.report.category.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('drive.report.text')}
        <textarea rows={4} maxLength={MAX_TEXT} required value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} />
      </label>
      <label>
        {t('drive.report.contact')}
        <input autoComplete="email" value={contact} onInput={(e) => setContact((e.target as HTMLInputElement).value)} />
      </label>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" class="big" disabled={busy}>
        {t('drive.report.send')}
      </button>
      <Link to={back}>{t('drive.report.back')}</Link>
    </form>
  );
}
