// The signed-in driver's past sessions, newest first (GET /drive/me/sessions), paged.
import { useState } from 'preact/hooks';
import { list } from '../lib/api';
import { t } from '../lib/i18n';
import { dateTime, energyWh, money } from '../lib/format';
import { ErrorBox, Link, Loading, Pager, useFetch } from '../ui/components';
import { driver } from './auth';
import type { DriveSession } from './types';

export function HistoryPage() {
  const who = driver();
  const [offset, setOffset] = useState(0);
  const page = useFetch(
    (signal) => (who ? list<DriveSession>('/drive/me/sessions', { limit: 20, offset }, signal) : Promise.resolve(null)),
    [who?.token, offset],
  );
  if (!who)
    return (
      <>
        <h1>{t('drive.history.title')}</h1>
        <p>
          <Link to="/drive/login?next=%2Fdrive%2Fsessions">{t('drive.history.signIn')}</Link>
        </p>
      </>
    );
  return (
    <>
      <h1>{t('drive.history.title')}</h1>
      {page.error ? (
        <ErrorBox error={page.error} onRetry={page.reload} />
      ) : !page.data ? (
        <Loading />
      ) : page.data.items.length === 0 ? (
        <p>{t('drive.history.none')}</p>
      ) : (
        <>
          <ul class="history">
            {page.data.items.map((s) => (
              <li key={s.id} class="card">
                <Link to={`/drive/sessions/${encodeURIComponent(s.id)}`}>{dateTime(s.started_at, s.time_zone ?? undefined)}</Link>
                <span>{s.location_name ?? s.evse_uid}</span>
                <span>
                  {energyWh(s.energy_wh ?? null)} · {s.cost ? money(s.cost.incl_vat ?? s.cost.excl_vat, s.cost.currency) : '–'}
                </span>
                <span class="muted">{t(`drive.session.status.${s.status}`)}</span>
              </li>
            ))}
          </ul>
          <Pager page={page.data} onOffset={setOffset} />
        </>
      )}
    </>
  );
}
