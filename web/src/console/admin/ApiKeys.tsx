// API keys for integrations: create one with a role (its key is shown here once, then only its
// hash is kept), list them, revoke one (after a second click that says what it does).
import { useState } from 'preact/hooks';
import { ApiError, del, list, post } from '../../lib/api';
import type { Role } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import './admin.css';
import { RoleOptions } from './RoleOptions';
import { type ApiKey, type CreatedKey } from './types';

const PAGE = 50;

export function ApiKeys() {
  const [offset, setOffset] = useState(0);
  const [created, setCreated] = useState<CreatedKey | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const keys = useFetch((signal) => list<ApiKey>('/api-keys', { limit: PAGE, offset }, signal), [offset]);

  const revoke = async (k: ApiKey) => {
    setFailure(null);
    try {
      await del(`/api-keys/${k.id}`);
      setNotice(t('admin.keys.revokedNow', { name: k.name }));
      setConfirming(null);
      keys.reload();
    } catch (e) {
      setFailure(e);
    }
  };

  return (
    <section class="admin">
      <h1>{t('admin.keys.title')}</h1>
      <p class="muted">{t('admin.keys.intro')}</p>
      <CreateKey
        onCreated={(k) => {
          setCreated(k);
          setNotice(null);
          keys.reload();
        }}
      />
      {created && (
        <div class="card secret" role="region" aria-labelledby="new-key-title">
          <h2 id="new-key-title">{t('admin.keys.createdTitle', { name: created.name })}</h2>
          <p>{t('admin.keys.shownOnce')}</p>
          <label class="full">
            {t('admin.keys.theKey')}
            <input readOnly value={created.key} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <div class="row">
            <button class="secondary" onClick={() => void navigator.clipboard?.writeText(created.key).then(() => setNotice(t('admin.keys.copied')), () => undefined)}>
              {t('admin.keys.copy')}
            </button>
            <button class="secondary" onClick={() => setCreated(null)}>
              {t('admin.keys.done')}
            </button>
          </div>
        </div>
      )}
      <h2>{t('admin.keys.list')}</h2>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {failure !== null && <ErrorBox error={failure} />}
      {keys.loading && !keys.data && <Loading />}
      {keys.error !== undefined && <ErrorBox error={keys.error} onRetry={keys.reload} />}
      {keys.data && keys.data.total === 0 && <p class="muted">{t('admin.keys.none')}</p>}
      {keys.data && keys.data.total > 0 && (
        <>
          <table>
            <caption class="sr-only">{t('admin.keys.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.keys.name')}</th>
                <th scope="col">{t('admin.keys.role')}</th>
                <th scope="col">{t('admin.keys.createdBy')}</th>
                <th scope="col">{t('admin.keys.created')}</th>
                <th scope="col">{t('admin.keys.state')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {keys.data.items.map((k) => (
                <tr key={k.id}>
                  <th scope="row">{k.name}</th>
                  <td>{t(`common.role.${k.role}`)}</td>
                  <td>{k.created_by}</td>
                  <td>{dateTime(k.created_at)}</td>
                  <td>
                    {k.revoked_at ? (
                      <>
                        <StatusBadge status="offline" label={t('admin.keys.revoked')} /> <span class="muted">{dateTime(k.revoked_at)}</span>
                      </>
                    ) : (
                      <StatusBadge status="available" label={t('admin.keys.active')} />
                    )}
                  </td>
                  <td>
                    {!k.revoked_at && confirming !== k.id && (
                      <button class="secondary" aria-label={t('admin.keys.revokeKey', { name: k.name })} onClick={() => setConfirming(k.id)}>
                        {t('admin.keys.revoke')}
                      </button>
                    )}
                    {!k.revoked_at && confirming === k.id && (
                      <span class="row confirm">
                        <span>{t('admin.keys.confirm')}</span>
                        <button class="danger" aria-label={t('admin.keys.confirmKey', { name: k.name })} onClick={() => void revoke(k)}>
                          {t('admin.keys.confirmButton')}
                        </button>
                        <button class="secondary" onClick={() => setConfirming(null)}>
                          {t('common.cancel')}
                        </button>
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={keys.data} onOffset={setOffset} label={t('admin.keys.pages')} />
        </>
      )}
    </section>
  );
}

function CreateKey(props: { onCreated: (k: CreatedKey) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [error, setError] = useState<Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const k = await post<CreatedKey>('/api-keys', { name, role });
      props.onCreated(k);
      setName('');
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card row" onSubmit={submit} aria-labelledby="create-key">
      <h2 id="create-key" class="form-title">
        {t('admin.keys.create')}
      </h2>
      <label>
        {t('admin.keys.name')}
        <input name="key-name" required maxLength={64} autoComplete="off" value={name} aria-invalid={error instanceof ApiError && error.field === 'name' ? true : undefined} onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      <label>
        {t('admin.keys.role')}
        <select name="key-role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <RoleOptions />
        </select>
      </label>
      <button type="submit" disabled={busy}>
        {t('admin.keys.createButton')}
      </button>
      {error && (
        <p class="error full" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}
