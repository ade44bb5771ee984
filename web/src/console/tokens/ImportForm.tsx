// Import id tokens from a CSV file: parsed here, sent as one all-or-nothing request; a refused
// entry is named by its line in the file.
import { useState } from 'preact/hooks';
import { ApiError, post } from '../../lib/api';
import { t } from '../../lib/i18n';
import { entryIndex, tokensFromCsv } from './csv';

/** The API refuses bodies over 64 KiB (413); say so before sending. */
const MAX_BODY = 64 * 1024;

export function ImportForm(props: { onImported: (n: number) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const file = (form.elements.namedItem('file') as HTMLInputElement).files?.[0];
    if (!file) return;
    setError(null);
    const parsed = tokensFromCsv(await file.text());
    if (parsed.unknownColumn !== undefined) return setError(t('tokens.import.unknownColumn', { column: parsed.unknownColumn }));
    if (!parsed.tokens.length) return setError(t('tokens.import.empty'));
    const body = { tokens: parsed.tokens };
    if (JSON.stringify(body).length > MAX_BODY) return setError(t('tokens.import.tooBig', { n: parsed.tokens.length }));
    setBusy(true);
    try {
      const res = await post<{ imported: number }>('/id-tokens/import', body);
      form.reset();
      props.onImported(res.imported);
    } catch (err) {
      const index = err instanceof ApiError ? entryIndex(err.field) : null;
      const detail = err instanceof Error ? err.message : String(err);
      setError(index !== null && parsed.lines[index] ? t('tokens.import.lineRefused', { line: parsed.lines[index], detail }) : t('common.error', { detail }));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card import-tokens" onSubmit={submit} aria-labelledby="import-tokens-title">
      <h2 id="import-tokens-title">{t('tokens.import')}</h2>
      <p class="muted">{t('tokens.import.help')}</p>
      <div class="row">
        <label>
          {t('tokens.import.file')}
          <input name="file" type="file" accept=".csv,text/csv" required />
        </label>
        <button type="submit" disabled={busy}>
          {t('tokens.import.submit')}
        </button>
      </div>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
