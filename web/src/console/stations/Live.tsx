// The live tab: the station's EVSEs and connectors as they are now, each running session's
// power and energy as charts that move with transaction.updated, and the status timeline.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { get, list, type LiveEvent } from '../../lib/api';
import { dateTime, duration, energyWh, number, powerW, relative, time } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Chart } from '../../ui/Chart';
import { ErrorBox, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import { outlets, sessionSeries, type ConnectorState, type StationDetail, type Transaction } from './model';
import { statusLabel } from './parts';

export function LivePanel(props: { station: StationDetail; lastEvent: LiveEvent | null; onActive: (tx: number | null) => void }) {
  const { station, lastEvent } = props;
  const [txTick, setTxTick] = useState(0);
  const [historyTick, setHistoryTick] = useState(0);
  useEffect(() => {
    if (!lastEvent) return;
    if (lastEvent.type === 'transaction.started' || lastEvent.type === 'transaction.ended') setTxTick((n) => n + 1);
    if (lastEvent.type === 'status.changed') setHistoryTick((n) => n + 1);
  }, [lastEvent]);
  const active = useFetch((signal) => list<Transaction>('/transactions', { station: station.id, state: 'Active', limit: 20 }, signal), [station.id, txTick]);
  useEffect(() => props.onActive(active.data?.items[0]?.id ?? null), [active.data]);

  return (
    <div>
      <h2>{t('stations.evses')}</h2>
      <Connectors connectors={outlets(station)} />
      <h2>{t('stations.sessions')}</h2>
      {active.error ? (
        <ErrorBox error={active.error} onRetry={active.reload} />
      ) : !active.data ? (
        <Loading />
      ) : active.data.items.length === 0 ? (
        <p class="muted">{t('stations.noSession')}</p>
      ) : (
        active.data.items.map((tx) => <SessionCard key={tx.id} id={tx.id} lastEvent={lastEvent} />)
      )}
      <h2>{t('stations.timeline')}</h2>
      <Timeline stationId={station.id} tick={historyTick} />
    </div>
  );
}

function Connectors(props: { connectors: ConnectorState[] }) {
  if (!props.connectors.length) return <p class="muted">{t('stations.noConnectors')}</p>;
  return (
    <ul class="connector-grid" aria-label={t('stations.evses')}>
      {props.connectors.map((c) => (
        <li key={`${c.evse_id}/${c.connector_id}`} class="card connector" data-testid={`connector-${c.evse_id}-${c.connector_id}`}>
          <span class="connector-name">{t('stations.connectorName', { evse: c.evse_id, connector: c.connector_id })}</span>
          <StatusBadge status={c.status} label={statusLabel(c.status)} />
          {c.error_code && c.error_code !== 'NoError' && <span class="error">{c.error_code}</span>}
          <span class="muted">{t('stations.since', { when: relative(c.received_at) })}</span>
        </li>
      ))}
    </ul>
  );
}

function SessionCard(props: { id: number; lastEvent: LiveEvent | null }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const e = props.lastEvent;
    if (e && e.type === 'transaction.updated' && (e.data as { transaction_id?: number }).transaction_id === props.id) setTick((n) => n + 1);
  }, [props.lastEvent, props.id]);
  const tx = useFetch((signal) => get<Transaction>(`/transactions/${props.id}`, undefined, signal), [props.id, tick]);
  const [clock, setClock] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setClock(Date.now()), 1000); // the duration counts on between readings
    return () => clearInterval(timer);
  }, []);
  const series = useMemo(() => (tx.data ? sessionSeries(tx.data) : []), [tx.data]);
  // The charts' data change only with new readings (not with the clock), so uPlot redraws then.
  const data = useMemo(() => {
    const x = series.map((p) => p.t);
    return {
      power: [x, series.map((p) => (p.powerW === null ? null : p.powerW / 1000))],
      energy: [x, series.map((p) => (p.energyWh === null ? null : p.energyWh / 1000))],
    };
  }, [series]);
  if (tx.error) return <ErrorBox error={tx.error} onRetry={tx.reload} />;
  if (!tx.data) return <Loading />;
  const s = tx.data;
  const lastPower = [...series].reverse().find((p) => p.powerW !== null)?.powerW ?? null;
  return (
    <article class="card session" aria-labelledby={`session-${s.id}`}>
      <h3 id={`session-${s.id}`}>{t('stations.sessionTitle', { id: s.id, evse: s.evse_id, connector: s.connector_id })}</h3>
      <dl class="facts inline figures">
        <dt>{t('stations.powerNow')}</dt>
        <dd data-testid="power-now">{powerW(lastPower)}</dd>
        <dt>{t('stations.energy')}</dt>
        <dd data-testid="energy-now">{energyWh(s.energy_wh)}</dd>
        <dt>{t('stations.duration')}</dt>
        <dd>{duration((clock - Date.parse(s.started_at)) / 1000)}</dd>
        <dt>{t('stations.idTag')}</dt>
        <dd>{s.id_tag}</dd>
        <dt>{t('stations.started')}</dt>
        <dd>{dateTime(s.started_at)}</dd>
      </dl>
      <div class="charts" data-points={series.length} data-testid={`session-chart-${s.id}`}>
        <Chart
          label={t('stations.powerChart', { id: s.id, now: powerW(lastPower) })}
          series={[{ label: t('stations.powerKw'), color: '#1d4ed8', format: (v) => number(v, 1), fill: 'rgba(29,78,216,0.08)' }]}
          data={data.power}
          height={180}
        />
        <Chart
          label={t('stations.energyChart', { id: s.id, now: energyWh(s.energy_wh) })}
          series={[{ label: t('stations.energyKwh'), color: '#0b6e4f', format: (v) => number(v, 2) }]}
          data={data.energy}
          height={180}
        />
      </div>
      <p class="muted">{t('stations.samples', { count: series.length, last: series.length ? time(new Date(series[series.length - 1].t * 1000).toISOString()) : '–' })}</p>
    </article>
  );
}

function Timeline(props: { stationId: string; tick: number }) {
  const PAGE = 50;
  // The history is oldest first: open on its last page, newest at the top.
  const [offset, setOffset] = useState<number | null>(null);
  const page = useFetch(
    async (signal) => {
      const path = `/stations/${encodeURIComponent(props.stationId)}/status-history`;
      let at = offset;
      if (at === null) {
        const head = await list<ConnectorState>(path, { limit: 1 }, signal);
        at = Math.max(0, Math.floor((head.total - 1) / PAGE) * PAGE);
      }
      return list<ConnectorState>(path, { limit: PAGE, offset: at }, signal);
    },
    [props.stationId, offset, props.tick],
  );
  if (page.error) return <ErrorBox error={page.error} onRetry={page.reload} />;
  if (!page.data) return <Loading />;
  if (!page.data.items.length) return <p class="muted">{t('stations.noHistory')}</p>;
  return (
    <>
      <StatusBars items={page.data.items} />
      <ol class="timeline" aria-label={t('stations.timeline')}>
        {[...page.data.items].reverse().map((h, i) => (
          <li key={i} class={`status-${h.status.toLowerCase()}`}>
            <time dateTime={h.received_at}>{dateTime(h.received_at)}</time>
            <span>{t('stations.connectorName', { evse: h.evse_id, connector: h.connector_id })}</span>
            <StatusBadge status={h.status} label={statusLabel(h.status)} />
            {h.error_code && h.error_code !== 'NoError' && <span class="error">{h.error_code}</span>}
            {h.info && <span class="muted">{h.info}</span>}
          </li>
        ))}
      </ol>
      <Pager page={page.data} onOffset={setOffset} label={t('stations.timelinePages')} />
    </>
  );
}

/**
 * One bar per connector over the span of the history shown: a segment per status, as wide as
 * it lasted (until the next change, or now). The list below has the same in words.
 */
function StatusBars(props: { items: ConnectorState[] }) {
  const end = Date.now();
  const times = props.items.map((h) => Date.parse(h.received_at)).filter(Number.isFinite);
  if (!times.length) return null;
  const start = Math.min(...times);
  const span = Math.max(1, end - start);
  const byConnector = new Map<string, ConnectorState[]>();
  for (const h of props.items) {
    const key = `${h.evse_id}/${h.connector_id}`;
    byConnector.set(key, [...(byConnector.get(key) ?? []), h]);
  }
  return (
    <div class="status-bars">
      {[...byConnector.entries()].map(([key, changes]) => {
        const [evse, connector] = key.split('/').map(Number);
        const name = t('stations.connectorName', { evse, connector });
        return (
          <div key={key} class="status-bar-row">
            <span class="status-bar-name">{name}</span>
            <div class="status-bar" role="img" aria-label={t('stations.barLabel', { name, from: dateTime(new Date(start).toISOString()) })}>
              {changes.map((h, i) => {
                const from = Date.parse(h.received_at);
                const to = i + 1 < changes.length ? Date.parse(changes[i + 1].received_at) : end;
                const width = (Math.max(0, to - from) / span) * 100;
                return <span key={i} class={`segment status-${h.status.toLowerCase()}`} style={{ width: `${width}%` }} title={`${statusLabel(h.status)} · ${dateTime(h.received_at)}`} />;
              })}
            </div>
          </div>
        );
      })}
    </div>
  );
}
