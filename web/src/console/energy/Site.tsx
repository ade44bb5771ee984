// A site's live energy picture: load against the limit per phase, the allocation of each EVSE,
// the circuits, and the plan ahead as a chart. Live: energy.setpoint / energy.alert for this
// location (and session events of its stations) fetch the picture again, at most twice a second;
// a slow poll keeps the measured values fresh between events.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { events, get, type LiveEvent } from '../../lib/api';
import { dateTime, time } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Chart } from '../../ui/Chart';
import { ErrorBox, Link, Loading, StatusBadge, useFetch } from '../../ui/components';
import './energy.css';
import { amps, kw, kwh, limitText } from './format';
import { PhaseBars } from './PhaseBars';
import { num, type Picture } from './types';

interface LocationInfo {
  id: string;
  name: string;
  time_zone?: string | null;
}

interface Alert {
  at?: string;
  station?: string;
  kind: string;
  evse?: number;
  given?: number;
  measured?: number;
}

const POLL_MS = 10000;

export function Site(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const path = `/locations/${encodeURIComponent(id)}`;
  const location = useFetch((signal) => get<LocationInfo>(path, undefined, signal), [id]);
  const picture = useFetch((signal) => get<Picture>(`${path}/energy`, undefined, signal), [id]);
  const [alerts, setAlerts] = useState<Alert[]>([]);
  const [live, setLive] = useState<'open' | 'reconnecting' | 'closed'>('closed');
  const stations = useRef<Set<string>>(new Set());
  stations.current = new Set((picture.data?.evses ?? []).map((e) => e.station_id));

  // One reload at a time, at most every 500 ms, whatever the rate of events.
  const reloadSoon = useRef<() => void>(() => {});
  reloadSoon.current = picture.reload;
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const schedule = () => {
      if (timer === null)
        timer = setTimeout(() => {
          timer = null;
          reloadSoon.current();
        }, 500);
    };
    const onEvent = (e: LiveEvent) => {
      const data = e.data as Record<string, unknown>;
      if (e.type === 'energy.setpoint' && data.location_id === id) schedule();
      else if (e.type === 'energy.alert' && data.location_id === id) {
        setAlerts((a) =>
          [
            {
              at: e.at,
              station: e.station_id,
              kind: String(data.kind),
              evse: typeof data.evse_id === 'number' ? data.evse_id : undefined,
              given: typeof data.given_a === 'number' ? data.given_a : undefined,
              measured: typeof data.measured_a === 'number' ? data.measured_a : undefined,
            },
            ...a,
          ].slice(0, 20),
        );
        schedule();
      } else if (e.type.startsWith('transaction.') && e.station_id && stations.current.has(e.station_id)) schedule();
    };
    const stop = events({ onEvent, onState: setLive });
    const poll = setInterval(schedule, POLL_MS);
    return () => {
      stop();
      clearInterval(poll);
      if (timer !== null) clearTimeout(timer);
    };
  }, [id]);

  const name = location.data?.name ?? id;
  const zone = location.data?.time_zone ?? undefined;
  const p = picture.data;
  return (
    <section class="energy">
      <p>
        <Link to="/energy">{t('energy.back')}</Link>
      </p>
      <h1>{t('energy.siteTitle', { name })}</h1>
      <p class="live muted" role="status">
        {live === 'open' ? t('app.live') : live === 'reconnecting' ? t('app.reconnecting') : ''}
        {p && ` · ${t('energy.asOf', { at: time(p.at, zone) })}`}
      </p>
      {picture.loading && !p && <Loading />}
      {picture.error !== undefined && !p && <ErrorBox error={picture.error} onRetry={picture.reload} />}
      {p && <PictureView picture={p} zone={zone} />}
      <h2>{t('energy.alerts')}</h2>
      <ul class="alerts card" aria-live="polite">
        {alerts.length === 0 && <li class="muted">{t('energy.noAlerts')}</li>}
        {alerts.map((a, i) => (
          <li key={i}>
            <time>{time(a.at, zone)}</time> <strong>{t(`energy.alert.${a.kind}`)}</strong>{' '}
            {t('energy.alertDetail', { station: a.station ?? '–', evse: a.evse ?? '–', given: amps(a.given), measured: amps(a.measured) })}
          </li>
        ))}
      </ul>
    </section>
  );
}

function PictureView(props: { picture: Picture; zone?: string }) {
  const { picture: p, zone } = props;
  const root = p.circuits.find((c) => c.id === null) ?? p.circuits[0];
  const circuits = p.circuits.filter((c) => c.id !== null);
  return (
    <>
      <div class="grid summary">
        <div class="card">
          <h2>{t('energy.connection')}</h2>
          <p class="figure" data-testid="site-limit">
            {limitText(p.grid.limit)}
          </p>
          <p class="muted">
            {t('energy.phasesVolts', { phases: p.grid.phases, volts: p.grid.voltage_v })} · {t('energy.fallback', { value: amps(p.grid.fallback_per_evse_a) })}
          </p>
          <StatusBadge status={p.grid.enabled ? 'available' : 'offline'} label={p.grid.enabled ? t('energy.managed') : t('energy.notManaged')} />
        </div>
        <div class="card">
          <h2>{t('energy.drawNow')}</h2>
          <p class="figure">{kw(p.evses.reduce((sum, e) => sum + (num(e.measured_power_kw) ?? 0), 0))}</p>
          <p class="muted">{t('energy.sessions', { count: p.evses.filter((e) => e.transaction_id !== null).length })}</p>
        </div>
        {p.active_dr && (
          <div class="card dr">
            <h2>{t('energy.dr')}</h2>
            <p class="figure">{t('energy.atMost', { value: kw(p.active_dr.max_power_kw) })}</p>
            <p class="muted">{t('energy.until', { at: dateTime(p.active_dr.to, zone) })}</p>
          </div>
        )}
      </div>

      {root && (
        <>
          <h2>{t('energy.phases')}</h2>
          <PhaseBars circuit={root} phases={p.grid.phases} />
        </>
      )}

      <h2>{t('energy.allocations')}</h2>
      {p.evses.length === 0 ? (
        <p class="muted">{t('energy.noEvses')}</p>
      ) : (
        <table>
          <caption class="sr-only">{t('energy.allocations')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('energy.evse')}</th>
              <th scope="col">{t('energy.circuit')}</th>
              <th scope="col">{t('energy.session')}</th>
              <th scope="col">{t('energy.setpoint')}</th>
              <th scope="col">{t('energy.measured')}</th>
              <th scope="col">{t('energy.priority')}</th>
              <th scope="col">{t('energy.need')}</th>
            </tr>
          </thead>
          <tbody>
            {p.evses.map((e) => (
              <tr key={`${e.station_id}/${e.evse_id}`} data-testid={`allocation-${e.station_id}-${e.evse_id}`}>
                <th scope="row">
                  <Link to={`/stations/${encodeURIComponent(e.station_id)}`}>{e.station_id}</Link> / {e.evse_id}
                </th>
                <td>{e.circuit ?? t('energy.rootCircuit')}</td>
                <td>{e.transaction_id !== null ? <Link to={`/sessions/${e.transaction_id}`}>#{e.transaction_id}</Link> : t('energy.idle')}</td>
                <td>
                  {e.transaction_id === null ? '–' : e.paused ? <StatusBadge status="offline" label={t('energy.paused')} /> : t('energy.setpointValue', { value: amps(e.setpoint_a), phases: e.phases })}
                </td>
                <td class={e.overdrawing ? 'over' : undefined}>
                  {e.measured_a.some((m) => m !== null) ? e.measured_a.map((m) => amps(m)).join(' / ') : '–'}
                  {e.measured_power_kw !== null && ` · ${kw(e.measured_power_kw)}`}
                  {e.overdrawing && <strong> {t('energy.overdrawing')}</strong>}
                </td>
                <td>{e.priority}</td>
                <td>{e.need ? t('energy.needValue', { energy: kwh(e.need.energy_kwh), at: dateTime(e.need.departure ?? null, zone) }) : '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {circuits.length > 0 && (
        <>
          <h2>{t('energy.circuits')}</h2>
          {circuits.map((c) => (
            <div key={c.id} class="circuit">
              <h3>{t('energy.circuitTitle', { id: c.id ?? '' })}</h3>
              <PhaseBars circuit={c} phases={p.grid.phases} />
            </div>
          ))}
        </>
      )}

      <h2>{t('energy.plan')}</h2>
      <Plan picture={p} zone={zone} />
    </>
  );
}

function Plan(props: { picture: Picture; zone?: string }) {
  const { plan, planned_at } = props.picture;
  const data = useMemo(
    () => [
      plan.map((s) => Date.parse(s.start) / 1000),
      plan.map((s) => num(s.site_limit_kw)),
      plan.map((s) => num(s.chargers_kw)),
      plan.map((s) => num(s.building_kw)),
      plan.map((s) => num(s.pv_kw)),
    ],
    [plan],
  );
  if (plan.length === 0) return <p class="muted">{t('energy.noPlan')}</p>;
  const fmt = (v: number) => kw(v);
  return (
    <div class="card">
      <Chart
        label={t('energy.planChart', { slots: plan.length, at: dateTime(planned_at, props.zone) })}
        timeZone={props.zone}
        testId="energy-plan"
        series={[
          { label: t('energy.series.limit'), color: '#b42318', steps: true, dash: [6, 4], format: fmt },
          { label: t('energy.series.chargers'), color: '#1d4ed8', steps: true, format: fmt },
          { label: t('energy.series.building'), color: '#6b21a8', steps: true, format: fmt },
          { label: t('energy.series.pv'), color: '#0b6e4f', steps: true, format: fmt },
        ]}
        data={data}
      />
      <p class="muted">{t('energy.plannedAt', { at: dateTime(planned_at, props.zone) })}</p>
    </div>
  );
}
