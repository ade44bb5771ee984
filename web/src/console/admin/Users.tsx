// Users: the list (paged), adding one with a role, changing a role, disabling and enabling.
// The signed-in admin's own row offers nothing: the API refuses to disable or demote oneself.
import { useState } from 'preact/hooks';
import { ApiError, list, patch, post } from '../../lib/api';
import { session, type Role } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import './admin.css';
import { RoleOptions } from './RoleOptions';
import { type User } from './types';

const PAGE = 50;

export function Users() {
  const [offset, setOffset] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const users = useFetch((signal) => list<User>('/users', { limit: PAGE, offset }, signal), [offset]);
  const me = session()?.username;

  const change = async (u: User, body: { role?: Role; disabled?: boolean }, done: string) => {
    setFailure(null);
    setNotice(null);
    try {
      await patch<User>(`/users/${u.id}`, body);
      setNotice(done);
      users.reload();
    } catch (e) {
      setFailure(e);
    }
  };

  return (
    <section class="admin">
      <h1>{t('admin.users.title')}</h1>
      <AddUser
        onAdded={(name) => {
          setNotice(t('admin.users.added', { user: name }));
          users.reload();
        }}
      />
      <h2>{t('admin.users.list')}</h2>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      {failure !== null && <ErrorBox error={failure} />}
      {users.loading && !users.data && <Loading />}
      {users.error !== undefined && <ErrorBox error={users.error} onRetry={users.reload} />}
      {users.data && (
        <>
          <table>
            <caption class="sr-only">{t('admin.users.list')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.users.username')}</th>
                <th scope="col">{t('admin.users.role')}</th>
                <th scope="col">{t('admin.users.state')}</th>
                <th scope="col">{t('admin.users.created')}</th>
                <th scope="col">{t('admin.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.items.map((u) => (
                <tr key={u.id}>
                  <th scope="row">{u.username}</th>
                  <td>
                    {u.username === me ? (
                      t(`common.role.${u.role}`)
                    ) : (
                      <select
                        aria-label={t('admin.users.roleOf', { user: u.username })}
                        value={u.role}
                        onChange={(e) => {
                          const role = e.currentTarget.value as Role;
                          void change(u, { role }, t('admin.users.roleChanged', { user: u.username, role: t(`common.role.${role}`) }));
                        }}
                      >
                        <RoleOptions />
                      </select>
                    )}
                  </td>
                  <td>
                    <StatusBadge status={u.disabled ? 'offline' : 'available'} label={u.disabled ? t('admin.users.disabled') : t('admin.users.enabled')} />
                  </td>
                  <td>{dateTime(u.created_at)}</td>
                  <td>
                    {u.username === me ? (
                      <span class="muted">{t('admin.users.you')}</span>
                    ) : u.disabled ? (
                      <button class="secondary" aria-label={t('admin.users.enableUser', { user: u.username })} onClick={() => void change(u, { disabled: false }, t('admin.users.enabledNow', { user: u.username }))}>
                        {t('admin.users.enable')}
                      </button>
                    ) : (
                      <button class="danger" aria-label={t('admin.users.disableUser', { user: u.username })} onClick={() => void change(u, { disabled: true }, t('admin.users.disabledNow', { user: u.username }))}>
                        {t('admin.users.disable')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={users.data} onOffset={setOffset} label={t('admin.users.pages')} />
        </>
      )}
    </section>
  );
}

function AddUser(props: { onAdded: (username: string) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/users', { username, password, role });
      props.onAdded(username);
      setUsername('');
      setPassword('');
      setRole('viewer');
    } catch (err) {
      setError(err instanceof Error ? err : new Error(String(err)));
    } finally {
      setBusy(false);
    }
  };
  const fieldError = (name: string) => (error instanceof ApiError && error.field === name ? error.message : null);
  return (
    <form class="card row" onSubmit={submit} aria-labelledby="add-user">
      <h2 id="add-user" class="form-title">
        {t('admin.users.add')}
      </h2>
      <label>
        {t('admin.users.username')}
        <input name="username" required maxLength={64} autoComplete="off" value={username} aria-invalid={fieldError('username') ? true : undefined} onInput={(e) => setUsername(e.currentTarget.value)} />
      </label>
      <label>
        {t('admin.users.password')}
        <input
          name="new-password"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
          value={password}
          aria-describedby="password-hint"
          aria-invalid={fieldError('password') ? true : undefined}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <span id="password-hint" class="hint">
          {t('admin.users.passwordHint')}
        </span>
      </label>
      <label>
        {t('admin.users.role')}
        <select name="role" value={role} onChange={(e) => setRole(e.currentTarget.value as Role)}>
          <RoleOptions />
        </select>
      </label>
      <button type="submit" disabled={busy}>
        {t('admin.users.addButton')}
      </button>
      {error && (
        <p class="error full" role="alert">
          {error.message}
        </p>
      )}
    </form>
  );
}
