// A session live: energy, power, time and the cost so far, read every 2.5 s from
// GET /drive/sessions/{id} (the id is the ad-hoc driver's capability); stop; then the receipt.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../lib/api';
import { t } from '../lib/i18n';
import { dateTime, duration, energyWh, money, powerW } from '../lib/format';
import { ErrorBox, Loading } from '../ui/components';
import { ReceiptView } from './ReceiptView';
import { remember } from './recent';
import type { DriveSession, Receipt } from './types';

const POLL_MS = 2500;
const LIVE: DriveSession['status'][] = ['starting', 'charging', 'suspended', 'finishing'];

/** Calls `tick` now and every `ms` while `active`; one call at a time, stopped on unmount. */
function usePoll(tick: () => Promise<void>, ms: number, active: boolean, deps: unknown[]) {
  useEffect(() => {
    if (!active) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async () => {
      try {
        await tick();
      } catch {
        /* a failed read is tried again at the next tick */
      } finally {
        if (!stopped) timer = setTimeout(() => void run(), ms);
      }
    };
    void run();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, ...deps]);
}

export function SessionPage({ id }: { id: string }) {
  const path = `/drive/sessions/${encodeURIComponent(id)}`;
  // A `ds_` id is the session's own capability and goes alone; a `ref` (from My sessions)
  // goes with the signed-in driver's token.
  const token = id.startsWith('ds_') ? null : undefined;
  const get = <T,>(p: string) => request<T>('GET', p, { token });
  const [session, setSession] = useState<DriveSession | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [stopping, setStopping] = useState(false);
  const [stopError, setStopError] = useState<unknown>(null);
  const live = !session || LIVE.includes(session.status);

  usePoll(
    async () => {
      try {
        const next = await get<DriveSession>(path);
        setSession(next);
        setError(null);
        if (next.id) remember({ id: next.id, location: next.location_name, started_at: next.started_at });
      } catch (e) {
        setError(e);
      }
    },
    POLL_MS,
    live && !(error instanceof ApiError && error.status === 404),
    [path],
  );
  usePoll(
    async () => {
      try {
        setReceipt(await get<Receipt>(`${path}/receipt`));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
    },
    POLL_MS,
    session?.status === 'ended' && !receipt,
    [path],
  );

  if (error instanceof ApiError && error.status === 404) return <p role="alert">{t('drive.session.notFound')}</p>;
  if (!session) return error ? <ErrorBox error={error} /> : <Loading />;
  const s = session;
  const cost = s.cost ? money(s.cost.incl_vat ?? s.cost.excl_vat, s.cost.currency) : '–';
  const stop = async () => {
    setStopping(true);
    setStopError(null);
    try {
      await request('POST', `${path}/stop`, { token });
    } catch (e) {
      setStopError(e);
      setStopping(false);
    }
  };
  return (
    <>
      <h1>{t('drive.session.title')}</h1>
      <section class="card stack" aria-labelledby="session-status">
        <h2 id="session-status">
          {t('drive.session.status')}: <span role="status">{t(`drive.session.status.${s.status}`)}</span>
        </h2>
        {s.location_name && <p class="muted">{t('drive.session.where', { location: s.location_name })}</p>}
        {s.started_at && <p class="muted">{t('drive.session.startedAt', { at: dateTime(s.started_at, s.time_zone ?? undefined) })}</p>}
        {s.status === 'failed' && (
          <p class="error" role="alert">
            {t('drive.session.failed', { reason: s.failure || '–' })}
          </p>
        )}
        <dl class="meters">
          <div>
            <dt>{t('drive.session.energy')}</dt>
            <dd data-testid="energy">{energyWh(s.energy_wh ?? null, 2)}</dd>
          </div>
          <div>
            <dt>{t('drive.session.power')}</dt>
            <dd>{live ? powerW(s.power_w ?? null) : '–'}</dd>
          </div>
          <div>
            <dt>{t('drive.session.duration')}</dt>
            <dd>{duration(s.duration_s ?? null)}</dd>
          </div>
          <div>
            <dt>{live ? t('drive.session.cost') : t('drive.session.costFinal')}</dt>
            <dd data-testid="cost">{cost}</dd>
          </div>
        </dl>
        {live && <p class="small muted">{t('drive.session.live')}</p>}
        {live && s.status !== 'starting' && (
          <button class="danger big" disabled={stopping || s.status === 'finishing'} onClick={() => void stop()}>
            {stopping ? t('drive.session.stopping') : t('drive.session.stop')}
          </button>
        )}
        {stopError !== null && <ErrorBox error={stopError} />}
      </section>
      {s.status === 'ended' && (receipt ? <ReceiptView receipt={receipt} timeZone={s.time_zone ?? undefined} /> : <p role="status">{t('drive.session.waitReceipt')}</p>)}
    </>
  );
}
