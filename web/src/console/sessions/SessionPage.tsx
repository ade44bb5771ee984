// One session: what it was (station, token, times, energy), its meter values as a chart, what
// it cost (GET /transactions/{id}/cost) and its CDR. A running session follows the live stream.
import { useEffect, useMemo } from 'preact/hooks';
import { ApiError, events, get } from '../../lib/api';
import { dateTime, energyWh, number } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Chart } from '../../ui/Chart';
import { ErrorBox, Link, Loading, StatusBadge, useFetch } from '../../ui/components';
import { CdrView } from './CdrView';
import { CostTable } from './CostTable';
import { meterSeries } from './meter';
import { evseLabel } from './SessionList';
import type { Cdr, Cost, TransactionDetail } from './types';

/** A resource that may not exist (yet): null on 404. */
async function maybe<T>(path: string, signal: AbortSignal): Promise<T | null> {
  try {
    return await get<T>(path, undefined, signal);
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export function SessionPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const tx = useFetch((signal) => get<TransactionDetail>(`/transactions/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const cost = useFetch((signal) => maybe<Cost>(`/transactions/${encodeURIComponent(id)}/cost`, signal), [id]);
  const active = tx.data?.state === 'Active';
  const ended = tx.data?.state === 'Ended';
  // A CDR exists only once the session has ended: not asked for before.
  const cdr = useFetch((signal) => (ended ? maybe<Cdr>(`/cdrs/CDR-${encodeURIComponent(id)}`, signal) : Promise.resolve(null)), [id, ended]);
  const station = tx.data?.station_id;

  // While it runs: reload on this session's updates, at most every 2 s.
  useEffect(() => {
    if (!active || !station) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = events({
      station,
      onEvent: (e) => {
        if (String(e.data.transaction_id) !== id || timer) return;
        timer = setTimeout(() => {
          timer = null;
          tx.reload();
          cost.reload();
        }, 2000);
      },
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [active, station, id]);

  const series = useMemo(() => (tx.data ? meterSeries(tx.data.meter_values, tx.data.meter_start_wh) : null), [tx.data]);
  if (tx.error) return <ErrorBox error={tx.error} onRetry={tx.reload} />;
  if (!tx.data) return <Loading />;
  const s = tx.data;
  const zone = cost.data?.time_zone;
  return (
    <section>
      <p>
        <Link to="/sessions">{t('sessions.back')}</Link>
      </p>
      <h1>{t('sessions.page.title', { id: s.id })}</h1>
      <dl class="facts card">
        <dt>{t('sessions.state')}</dt>
        <dd>
          <StatusBadge status={active ? 'charging' : 'ended'} label={t(`sessions.state.${s.state}`)} />
        </dd>
        <dt>{t('sessions.station')}</dt>
        <dd>
          {s.station_id} · {evseLabel(s)} · {s.protocol}
        </dd>
        <dt>{t('sessions.idTag')}</dt>
        <dd>{s.id_tag ?? '–'}</dd>
        <dt>{t('sessions.started')}</dt>
        <dd>{dateTime(s.started_at, zone)}</dd>
        <dt>{t('sessions.ended')}</dt>
        <dd>{dateTime(s.stopped_at, zone)}</dd>
        <dt>{t('sessions.energy')}</dt>
        <dd>{energyWh(s.energy_wh)}</dd>
        <dt>{t('sessions.stopReason')}</dt>
        <dd>{s.stop_reason ?? '–'}</dd>
        {zone && (
          <>
            <dt>{t('sessions.timeZone')}</dt>
            <dd>{zone}</dd>
          </>
        )}
      </dl>

      <h2>{t('sessions.meter')}</h2>
      {series && series.points > 0 ? (
        <Chart
          label={t('sessions.meter.label', { points: series.points })}
          testId="meter-chart"
          timeZone={zone}
          series={[
            { label: t('sessions.meter.energy'), color: '#0b6e4f', format: (v) => `${number(v, 2)} kWh` },
            { label: t('sessions.meter.power'), color: '#1d4ed8', format: (v) => `${number(v, 1)} kW`, steps: true },
          ]}
          data={series.data}
        />
      ) : (
        <p class="muted">{t('sessions.meter.none')}</p>
      )}

      <h2>{t('sessions.cost')}</h2>
      {cost.error ? <ErrorBox error={cost.error} onRetry={cost.reload} /> : null}
      {cost.data === null && <p class="muted">{t('sessions.cost.noTariff')}</p>}
      {cost.data && (
        <>
          <p class="muted">
            {cost.data.final ? t('sessions.cost.final') : t('sessions.cost.sofar')}{' '}
            {t('sessions.cost.tariffs', { ids: cost.data.tariffs.map((x) => x.id).join(', ') })}
          </p>
          <CostTable totals={cost.data} caption={t('sessions.cost.caption')} />
        </>
      )}

      <h2>{t('sessions.cdr')}</h2>
      {cdr.error ? <ErrorBox error={cdr.error} onRetry={cdr.reload} /> : null}
      {cdr.data === null && <p class="muted">{active ? t('sessions.cdr.running') : t('sessions.cdr.none')}</p>}
      {cdr.data && <CdrView cdr={cdr.data} />}
    </section>
  );
}
