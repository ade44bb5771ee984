// The audit log: every state-changing call (also refused ones), newest first, paged by the API
// and filtered in its query: who, a part of the action, the target, the outcome and a period.
import { useState } from 'preact/hooks';
import { list, type Query } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Loading, Pager, useFetch } from '../../ui/components';
import './admin.css';
import type { AuditEntry } from './types';

const PAGE = 50;

interface Filters {
  actor: string;
  action: string;
  target: string;
  outcome: '' | 'ok' | 'failed';
  from: string; // datetime-local, the browser's zone
  to: string;
}
const empty: Filters = { actor: '', action: '', target: '', outcome: '', from: '', to: '' };

/** A datetime-local value (the viewer's zone) as RFC 3339 for the API. */
function instant(local: string): string | undefined {
  if (!local) return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function Audit() {
  const [draft, setDraft] = useState<Filters>(empty);
  const [applied, setApplied] = useState<Filters>(empty);
  const [offset, setOffset] = useState(0);
  const query: Query = {
    limit: PAGE,
    offset,
    actor: applied.actor.trim(),
    action: applied.action.trim(),
    target: applied.target.trim(),
    outcome: applied.outcome,
    from: instant(applied.from),
    to: instant(applied.to),
  };
  const entries = useFetch((signal) => list<AuditEntry>('/audit', query, signal), [JSON.stringify(query)]);
  const set = (k: keyof Filters) => (e: Event) => setDraft({ ...draft, [k]: (e.currentTarget as HTMLInputElement).value });

  return (
    <section class="admin">
      <h1>{t('admin.audit.title')}</h1>
      <form
        class="card row filters"
        role="search"
        aria-label={t('admin.audit.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setOffset(0);
          setApplied(draft);
        }}
      >
        <label>
          {t('admin.audit.actor')}
          <input name="actor" placeholder="user:alice" value={draft.actor} onInput={set('actor')} />
        </label>
        <label>
          {t('admin.audit.action')}
          <input name="action" placeholder="POST /api/v1/users" value={draft.action} onInput={set('action')} />
        </label>
        <label>
          {t('admin.audit.target')}
          <input name="target" value={draft.target} onInput={set('target')} />
        </label>
        <label>
          {t('admin.audit.outcome')}
          <select name="outcome" value={draft.outcome} onChange={set('outcome')}>
            <option value="">{t('common.all')}</option>
            <option value="ok">{t('admin.audit.ok')}</option>
            <option value="failed">{t('admin.audit.failed')}</option>
          </select>
        </label>
        <label>
          {t('admin.audit.from')}
          <input name="from" type="datetime-local" value={draft.from} onInput={set('from')} />
        </label>
        <label>
          {t('admin.audit.to')}
          <input name="to" type="datetime-local" value={draft.to} onInput={set('to')} />
        </label>
        <button type="submit">{t('common.filter')}</button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            setDraft(empty);
            setApplied(empty);
            setOffset(0);
          }}
        >
          {t('admin.audit.clear')}
        </button>
      </form>
      {entries.loading && !entries.data && <Loading />}
      {entries.error !== undefined && <ErrorBox error={entries.error} onRetry={entries.reload} />}
      {entries.data && entries.data.total === 0 && <p class="muted">{t('admin.audit.none')}</p>}
      {entries.data && entries.data.total > 0 && (
        <>
          <table class="audit">
            <caption class="sr-only">{t('admin.audit.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.audit.at')}</th>
                <th scope="col">{t('admin.audit.actor')}</th>
                <th scope="col">{t('admin.audit.action')}</th>
                <th scope="col">{t('admin.audit.target')}</th>
                <th scope="col">{t('admin.audit.status')}</th>
                <th scope="col">{t('admin.audit.remote')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.data.items.map((e) => (
                <tr key={e.id}>
                  <td>{dateTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target ?? '–'}</td>
                  <td class={e.status >= 400 ? 'failed' : undefined}>
                    {e.status > 0 ? e.status : <span title={t('admin.audit.noStatus')}>–</span>}
                    {e.status >= 400 && <span class="sr-only"> {t('admin.audit.failed')}</span>}
                  </td>
                  <td>{e.remote ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={entries.data} onOffset={setOffset} label={t('admin.audit.pages')} />
        </>
      )}
    </section>
  );
}
