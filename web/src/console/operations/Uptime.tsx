// NEVI uptime (docs/operations.md "Availability and uptime"): per location (or every port) and
// month, as the API computes it in the location's time zone, or over a period given to the
// second. The summary, then each port with those under 97 % marked in words, then the outage log
// of the same period, where an operator excludes an outage outside its control (23 CFR
// 680.116(b): a reason and a justification) or counts it again. Both are exported as CSV.
import { useEffect, useRef, useState } from 'preact/hooks';
import { download, get, list, patch, type Query } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { locale, t } from '../../lib/i18n';
import { useFetch } from '../../ui/components';
import { useUrlFilters } from '../sessions/filters';
import { LocationSelect } from '../sessions/LocationSelect';
import { FilterForm, minutesText, Options, Paged, percentText, StationRef, Status, Table, useAction } from './parts';
import { EXCLUSION_REASONS, type Outage, type PortUptime, type UptimeAnswer } from './types';
import './operations.css';

const PORTS = 100;
const OUTAGES = 50;
/** NEVI's floor for a funded port (23 CFR 680.116(b)). */
export const NEVI_MIN = 97;

export function currentMonth(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

/** A datetime-local value ("2026-11-30T15:25:34") as an instant in the viewer's zone. */
function instant(local: string): string | undefined {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

export function below(p: { uptime_percent: string }): boolean {
  return Number(p.uptime_percent) < NEVI_MIN;
}

function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(locale(), { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)));
}

export function Uptime() {
  const filters = useUrlFilters(['location', 'month', 'from', 'to']);
  const v = filters.values;
  const custom = v.from && v.to ? { from: instant(v.from), to: instant(v.to) } : null;
  const month = v.month || currentMonth();
  const period: Query = custom ?? { month };
  const path = v.location ? `/locations/${encodeURIComponent(v.location)}/uptime` : '/reports/uptime';
  const key = JSON.stringify([path, period, filters.offset]);
  const uptime = useFetch((signal) => get<UptimeAnswer>(path, { ...period, limit: PORTS, offset: filters.offset }, signal), [key]);
  const exporting = useAction();

  // The outage log covers the period the ports were cut to (a month in the location's zone).
  const ports = uptime.data?.items ?? [];
  const bounds = custom
    ? { from: custom.from, to: custom.to }
    : ports.length
      ? { from: ports.map((p) => p.from).sort()[0], to: ports.map((p) => p.to).sort()[ports.length - 1] }
      : null;
  // A month is cut in the location's zone: its times are shown there when one location is shown
  // (every port of it has the same). A period given to the second is the viewer's own, as typed.
  const zone = !custom && v.location && ports.length ? ports[0].zone : undefined;
  const label = custom ? t('uptime.periodRange', { from: dateTime(custom.from, zone), to: dateTime(custom.to, zone) }) : monthName(month);

  const exportUptime = () => {
    void exporting.run(() => download('/reports/uptime.csv', { location: v.location, ...period }, `uptime-${custom ? 'period' : month}${v.location ? '-' + v.location : ''}.csv`));
  };
  const exportOutages = () => {
    void exporting.run(() => download('/outages.csv', { location: v.location, ...(bounds ?? {}) }, `outages${v.location ? '-' + v.location : ''}.csv`));
  };

  return (
    <section class="ops">
      <h1>{t('uptime.title')}</h1>
      <p class="muted">{t('uptime.intro')}</p>
      <FilterForm filters={filters} label={t('uptime.filters')}>
        <LocationSelect name="location" label={t('uptime.location')} value={v.location} />
        <label>
          {t('uptime.month')}
          <input name="month" type="month" required defaultValue={month} />
        </label>
        <fieldset class="row period">
          <legend>{t('uptime.orPeriod')}</legend>
          <label>
            {t('uptime.from')}
            <input name="from" type="datetime-local" step={1} defaultValue={v.from} />
          </label>
          <label>
            {t('uptime.to')}
            <input name="to" type="datetime-local" step={1} defaultValue={v.to} />
          </label>
        </fieldset>
        <button type="submit">{t('uptime.show')}</button>
        <button type="button" class="secondary" onClick={exportUptime}>
          {t('uptime.exportUptime')}
        </button>
        <button type="button" class="secondary" disabled={!bounds} onClick={exportOutages}>
          {t('uptime.exportOutages')}
        </button>
      </FilterForm>
      <Status failure={exporting.failure} state={uptime} />
      {uptime.data && (
        <>
          <Summary answer={uptime.data} label={label} zone={zone} />
          <h2 id="ports-title">{t('uptime.ports')}</h2>
          <Paged page={uptime.data} onOffset={filters.setOffset} label={t('uptime.portPages')} empty={t('uptime.noPorts')}>
            {(page) => <PortTable ports={page.items} />}
          </Paged>
          <h2 id="outages-title">{t('uptime.outages')}</h2>
          {bounds ? <OutageLog key={key} location={v.location} bounds={bounds} zone={zone} onChanged={uptime.reload} /> : <p class="muted">{t('uptime.noOutages')}</p>}
        </>
      )}
    </section>
  );
}

function Summary(props: { answer: UptimeAnswer; label: string; zone?: string }) {
  const s = props.answer.summary;
  const low = props.answer.total > 0 && below(s);
  return (
    <div class="card summary" role="group" aria-labelledby="uptime-summary">
      <h2 id="uptime-summary">{t('uptime.summaryTitle', { period: props.label })}</h2>
      <p class="uptime-figure" data-testid="uptime-total">
        {props.answer.total > 0 ? percentText(s.uptime_percent) : '–'}
        {low && <span class="flag"> {t('uptime.below')}</span>}
      </p>
      <dl class="facts inline">
        <dt>{t('uptime.portCount')}</dt>
        <dd>{s.ports}</dd>
        <dt>{t('uptime.periodMinutes')}</dt>
        <dd>{minutesText(s.period_minutes)}</dd>
        <dt>{t('uptime.outageMinutes')}</dt>
        <dd>{minutesText(s.outage_minutes)}</dd>
        <dt>{t('uptime.excludedMinutes')}</dt>
        <dd>{minutesText(s.excluded_minutes)}</dd>
        <dt>{t('uptime.countedMinutes')}</dt>
        <dd>{minutesText(s.counted_outage_minutes)}</dd>
        {props.zone && (
          <>
            <dt>{t('uptime.zone')}</dt>
            <dd>{props.zone}</dd>
          </>
        )}
      </dl>
      <p class="hint">{t('uptime.formula')}</p>
    </div>
  );
}

function PortTable(props: { ports: PortUptime[] }) {
  return (
    <Table
      labelledBy="ports-title"
      columns={[
        t('uptime.port'),
        t('uptime.location'),
        { num: t('uptime.periodMinutes') },
        { num: t('uptime.outageMinutes') },
        { num: t('uptime.excludedMinutes') },
        { num: t('uptime.countedMinutes') },
        { num: t('uptime.uptime') },
      ]}
    >
      {props.ports.map((p) => {
        const low = below(p);
        return (
          <tr key={`${p.station_id}/${p.evse_id}`} data-port={`${p.station_id}/${p.evse_id}`} class={low ? 'below' : undefined}>
            <th scope="row">
              <StationRef station={p.station_id} evse={p.evse_id} />
            </th>
            <td>{p.location_id ?? '–'}</td>
            <td class="num">{minutesText(p.period_minutes)}</td>
            <td class="num">{minutesText(p.outage_minutes)}</td>
            <td class="num">{minutesText(p.excluded_minutes)}</td>
            <td class="num">{minutesText(p.counted_outage_minutes)}</td>
            <td class="num">
              {percentText(p.uptime_percent)}
              {low && <span class="flag"> {t('uptime.below')}</span>}
            </td>
          </tr>
        );
      })}
    </Table>
  );
}

function causeText(o: Outage): string {
  const cause = t(`uptime.cause.${o.cause}`);
  return o.detail ? t('uptime.causeDetail', { cause, detail: o.detail }) : cause;
}

function OutageLog(props: { location?: string; bounds: { from?: string; to?: string }; zone?: string; onChanged: () => void }) {
  const [offset, setOffset] = useState(0);
  const outages = useFetch(
    (signal) => list<Outage>('/outages', { location: props.location, from: props.bounds.from, to: props.bounds.to, limit: OUTAGES, offset }, signal),
    [offset],
  );
  const [editing, setEditing] = useState<number | null>(null);
  const action = useAction();
  const writer = can('operator');

  const classify = (o: Outage, body: { excluded: boolean; reason?: string; justification?: string }) =>
    action.run(async () => {
      await patch<Outage>(`/outages/${o.id}`, body);
      setEditing(null);
      outages.reload();
      props.onChanged();
      return t(body.excluded ? 'uptime.excludedNow' : 'uptime.countedNow', { id: o.id });
    });

  return (
    <>
      <Status notice={action.notice} failure={action.failure} state={outages} />
      <Paged page={outages.data} onOffset={setOffset} label={t('uptime.outagePages')} empty={t('uptime.noOutages')}>
        {(page) => (
          <Table
            labelledBy="outages-title"
            columns={[
              t('uptime.port'),
              t('uptime.cause'),
              t('uptime.started'),
              t('uptime.ended'),
              { num: t('uptime.duration') },
              t('uptime.classification'),
            ]}
            actions={writer}
          >
            {page.items.map((o) => (
              <tr key={o.id} data-outage={o.id}>
                <th scope="row">
                  <span class="muted">#{o.id}</span> <StationRef station={o.station_id} evse={o.evse_id} />
                </th>
                <td>{causeText(o)}</td>
                <td>{dateTime(o.started_at, props.zone)}</td>
                <td>{o.ended_at ? dateTime(o.ended_at, props.zone) : <strong>{t('uptime.ongoing')}</strong>}</td>
                <td class="num">{minutesText(o.duration_minutes)}</td>
                <td>
                  {o.exclusion ? (
                    <>
                      <strong>{t('uptime.excludedAs', { reason: t(`uptime.reason.${o.exclusion.reason}`) })}</strong>
                      <div>{o.exclusion.justification}</div>
                      <div class="muted">{t('uptime.classifiedBy', { who: o.exclusion.by, at: dateTime(o.exclusion.at, props.zone) })}</div>
                    </>
                  ) : (
                    t('uptime.counted')
                  )}
                </td>
                {writer && (
                  <td class="actions">
                    {o.excluded ? (
                      <button class="secondary" aria-label={t('uptime.countAgainOne', { id: o.id })} onClick={() => void classify(o, { excluded: false })}>
                        {t('uptime.countAgain')}
                      </button>
                    ) : editing === o.id ? (
                      <ExcludeForm outage={o} onSubmit={(reason, justification) => classify(o, { excluded: true, reason, justification })} onCancel={() => setEditing(null)} />
                    ) : (
                      <button class="secondary" aria-label={t('uptime.excludeOne', { id: o.id })} onClick={() => setEditing(o.id)}>
                        {t('uptime.exclude')}
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </Table>
        )}
      </Paged>
    </>
  );
}

function ExcludeForm(props: { outage: Outage; onSubmit: (reason: string, justification: string) => Promise<void>; onCancel: () => void }) {
  const [reason, setReason] = useState<string>(EXCLUSION_REASONS[0]);
  const [justification, setJustification] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement>(null);
  // The button that opened the form is gone: the keyboard goes on in the form.
  useEffect(() => first.current?.focus(), []);
  const id = props.outage.id;
  return (
    <form
      class="exclude-form"
      aria-label={t('uptime.excludeOne', { id })}
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void props.onSubmit(reason, justification.trim()).finally(() => setBusy(false));
      }}
    >
      <label>
        {t('uptime.reason')}
        <select ref={first} name="reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
          <Options values={EXCLUSION_REASONS} text={(r) => t(`uptime.reason.${r}`)} />
        </select>
      </label>
      <label>
        {t('uptime.justification')}
        <textarea name="justification" rows={3} required minLength={1} maxLength={2000} value={justification} onInput={(e) => setJustification(e.currentTarget.value)} />
      </label>
      <span class="row">
        <button type="submit" disabled={busy}>
          {t('uptime.excludeButton')}
        </button>
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('common.cancel')}
        </button>
      </span>
    </form>
  );
}
