// The signed-in driver's past sessions, newest first (GET /drive/me/sessions), paged.
import { useState } from 'preact/hooks';
import { list } from '../lib/api';
import { t } from '../lib/i18n';
import { dateTime, energyWh, money } from '../lib/format';
import { ErrorBox, Link, Loading, Pager, useFetch } from '../ui/components';
import { driver } from './auth';
import { recentSessions } from './recent';
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
        <OnThisDevice />
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
              <li key={s.ref ?? s.id ?? ''} class="card">
                <Link to={`/drive/sessions/${encodeURIComponent(s.ref ?? s.id ?? '')}`}>{dateTime(s.started_at, s.time_zone ?? undefined)}</Link>
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

/** Sessions opened on this device (ad-hoc card sessions included), for a driver not signed in. */
function OnThisDevice() {
  const recent = recentSessions();
  if (recent.length === 0) return null;
  return (
    <section aria-labelledby="on-device">
      <h2 id="on-device">{t('drive.history.onDevice')}</h2>
      <ul class="history">
        {recent.map((r) => (
          <li key={r.id} class="card">
            <Link to={`/drive/sessions/${encodeURIComponent(r.id)}`}>{r.started_at ? dateTime(r.started_at) : r.id}</Link>
            {r.location && <span>{r.location}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}
