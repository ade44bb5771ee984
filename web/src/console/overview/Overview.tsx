// The overview: the network at a glance (from GET /overview where the server has it, else the
// counts the lists' totals give), the sessions running now, and a live feed of events.
import { useEffect, useRef, useState } from 'preact/hooks';
import { list, type LiveEvent } from '../../lib/api';
import { energyWh, relative, time } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, useFetch } from '../../ui/components';
import { useBatchedEvents } from '../stations/batched';
import type { Transaction } from '../stations/model';
import { Counts } from './Counts';
import { describe } from './feed';
import './overview.css';

const RELOAD_MS = 2000;

export function Overview() {
  const [feed, setFeed] = useState<(LiveEvent & { key: number })[]>([]);
  const [live, setLive] = useState<'open' | 'reconnecting' | 'closed'>('closed');
  const [tick, setTick] = useState(0);
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);
  const seq = useRef(0);
  useBatchedEvents(
    (batch) => {
      const numbered = batch.map((e) => ({ ...e, key: ++seq.current })).reverse();
      setFeed((f) => [...numbered, ...f].slice(0, 50));
      // Counts and sessions follow the stream, at most every 2 s however busy it is.
      const counted = batch.some((e) => e.type.startsWith('station.') || e.type.startsWith('status.') || e.type === 'transaction.started' || e.type === 'transaction.ended');
      if (counted)
        pending.current ??= setTimeout(() => {
          pending.current = null;
          setTick((x) => x + 1);
        }, RELOAD_MS);
    },
    { onState: setLive },
  );
  useEffect(
    () => () => {
      if (pending.current) clearTimeout(pending.current);
    },
    [],
  );

  return (
    <section class="overview">
      <div class="title-row">
        <h1>{t('overview.title')}</h1>
        <span class={`live-state ${live}`} role="status">
          {live === 'open' ? t('app.live') : t('app.reconnecting')}
        </span>
      </div>
      <Counts tick={tick} />
      <div class="overview-columns">
        <div>
          <h2>{t('overview.sessionsNow')}</h2>
          <ActiveSessions tick={tick} />
        </div>
        <div>
          <h2>{t('overview.feed')}</h2>
          {feed.length === 0 ? (
            <p class="muted">{t('overview.feedEmpty')}</p>
          ) : (
            <ol class="card feed" aria-label={t('overview.feed')}>
              {feed.map((e) => (
                <li key={e.key} class={`feed-${e.type.replace('.', '-')}`}>
                  <time dateTime={e.at}>{time(e.at)}</time>{' '}
                  {e.station_id && <Link to={`/stations/${encodeURIComponent(e.station_id)}`}>{e.station_id}</Link>} <span>{describe(e)}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
      </div>
    </section>
  );
}

function ActiveSessions(props: { tick: number }) {
  const page = useFetch((signal) => list<Transaction>('/transactions', { state: 'Active', limit: 10 }, signal), [props.tick]);
  if (page.error) return <ErrorBox error={page.error} onRetry={page.reload} />;
  if (!page.data) return <Loading />;
  if (!page.data.items.length) return <p class="muted">{t('overview.noSessions')}</p>;
  return (
    <>
      <table>
        <caption class="sr-only">{t('overview.sessionsNow')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('overview.station')}</th>
            <th scope="col">{t('overview.connector')}</th>
            <th scope="col">{t('overview.energy')}</th>
            <th scope="col">{t('overview.started')}</th>
          </tr>
        </thead>
        <tbody>
          {page.data.items.map((tx) => (
            <tr key={tx.id}>
              <td>
                <Link to={`/stations/${encodeURIComponent(tx.station_id)}`}>{tx.station_id}</Link>
              </td>
              <td>{tx.evse_id || tx.connector_id}</td>
              <td>{energyWh(tx.energy_wh)}</td>
              <td>{relative(tx.started_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {page.data.total > page.data.items.length && <p class="muted">{t('overview.moreSessions', { count: page.data.total - page.data.items.length })}</p>}
    </>
  );
}
