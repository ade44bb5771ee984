// Id tokens: the list (filtered by status), and for operators adding one, blocking and
// unblocking, and importing a CSV file (all or nothing, through POST /id-tokens/import).
import { useState } from 'preact/hooks';
import { ApiError, list, put, type Query } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import { ImportForm } from './ImportForm';

export interface IdToken {
  id_tag: string;
  status: string;
  expires_at: string | null;
  parent_id_tag: string | null;
}

const LIMIT = 100;
const STATUSES = ['Accepted', 'Blocked', 'Expired', 'Invalid'];

export function TokenList() {
  const [query, setQuery] = useState<Query>({});
  const [offset, setOffset] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const page = useFetch((signal) => list<IdToken>('/id-tokens', { ...query, limit: LIMIT, offset }, signal), [query, offset]);
  const writer = can('operator');

  const setStatus = async (token: IdToken, status: string) => {
    setError(null);
    setNotice(null);
    try {
      await put<IdToken>(`/id-tokens/${encodeURIComponent(token.id_tag)}`, { status, expires_at: token.expires_at, parent_id_tag: token.parent_id_tag });
      setNotice(t(status === 'Blocked' ? 'tokens.blocked' : 'tokens.unblocked', { id: token.id_tag }));
      page.reload();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <section>
      <h1>{t('tokens.title')}</h1>
      <form
        class="row filters"
        aria-label={t('tokens.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          const status = new FormData(e.currentTarget).get('status');
          setQuery(status ? { status: String(status) } : {});
          setOffset(0);
        }}
      >
        <label>
          {t('tokens.status')}
          <select name="status">
            <option value="">{t('common.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`tokens.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('common.filter')}</button>
      </form>
      {writer && (
        <div class="token-tools">
          <AddForm onAdded={(id) => (setNotice(t('tokens.added', { id })), page.reload())} />
          <ImportForm onImported={(n) => (setNotice(t('tokens.imported', { n })), page.reload())} />
        </div>
      )}
      <div aria-live="polite">
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
      </div>
      {error ? <ErrorBox error={error} /> : null}
      {page.error ? <ErrorBox error={page.error} onRetry={page.reload} /> : null}
      {page.loading && !page.data ? <Loading /> : null}
      {page.data && (
        <>
          <table>
            <caption class="sr-only">{t('tokens.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tokens.idTag')}</th>
                <th scope="col">{t('tokens.status')}</th>
                <th scope="col">{t('tokens.expires')}</th>
                <th scope="col">{t('tokens.parent')}</th>
                {writer && <th scope="col">{t('tokens.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((tok) => (
                <tr key={tok.id_tag} data-token={tok.id_tag}>
                  <th scope="row">{tok.id_tag}</th>
                  <td>
                    <StatusBadge status={tok.status === 'Accepted' ? 'available' : tok.status === 'Blocked' ? 'faulted' : 'offline'} label={t(`tokens.status.${tok.status}`)} />
                  </td>
                  <td>{tok.expires_at ? dateTime(tok.expires_at) : t('tokens.never')}</td>
                  <td>{tok.parent_id_tag ?? '–'}</td>
                  {writer && (
                    <td>
                      {tok.status === 'Blocked' ? (
                        <button class="secondary" aria-label={t('tokens.unblockOne', { id: tok.id_tag })} onClick={() => void setStatus(tok, 'Accepted')}>
                          {t('tokens.unblock')}
                        </button>
                      ) : (
                        <button class="danger" aria-label={t('tokens.blockOne', { id: tok.id_tag })} onClick={() => void setStatus(tok, 'Blocked')}>
                          {t('tokens.block')}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          {page.data.items.length === 0 && <p class="muted">{t('common.empty')}</p>}
          <Pager page={page.data} onOffset={setOffset} />
        </>
      )}
    </section>
  );
}

function AddForm(props: { onAdded: (id: string) => void }) {
  const [error, setError] = useState<unknown>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const id = String(data.get('id_tag') ?? '').trim();
    const expires = String(data.get('expires_at') ?? '');
    const parent = String(data.get('parent_id_tag') ?? '').trim();
    setError(null);
    try {
      await put(`/id-tokens/${encodeURIComponent(id)}`, {
        status: String(data.get('status') ?? 'Accepted'),
        expires_at: expires ? new Date(expires).toISOString() : null,
        parent_id_tag: parent || null,
      });
      form.reset();
      props.onAdded(id);
    } catch (err) {
      setError(err);
    }
  };
  const fieldError = (name: string) => (error instanceof ApiError && error.field === name ? error.message : null);
  return (
    <form class="card add-token" onSubmit={submit} aria-labelledby="add-token-title">
      <h2 id="add-token-title">{t('tokens.add')}</h2>
      <div class="row">
        <label>
          {t('tokens.idTag')}
          <input name="id_tag" required maxLength={36} />
        </label>
        <label>
          {t('tokens.status')}
          <select name="status">
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`tokens.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tokens.expires')}
          <input name="expires_at" type="datetime-local" aria-invalid={fieldError('expires_at') ? true : undefined} />
        </label>
        <label>
          {t('tokens.parent')}
          <input name="parent_id_tag" maxLength={36} />
        </label>
        <button type="submit">{t('common.add')}</button>
      </div>
      {error ? <ErrorBox error={error} /> : null}
    </form>
  );
}
