// The overview's figures. With GET /overview (the server's one-query-each summary) they are
// all there: stations by state, sessions, energy and revenue today, availability. Without it,
// the counts come from the lists' totals (each a COUNT in the database, no rows loaded).
import { get, list } from '../../lib/api';
import { energyWh, money, number } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, useFetch } from '../../ui/components';
import { served } from '../stations/served';

export interface OverviewFigures {
  stations: { total: number; online: number; offline: number; faulted: number; unavailable: number };
  sessions_active: number;
  energy_today_wh?: number;
  sessions_today?: number;
  revenue_today?: { currency: string; excl_vat: string; incl_vat: string | null }[];
  availability_24h?: number | string | null;
  at?: string;
}

function timeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

async function figures(signal: AbortSignal): Promise<OverviewFigures> {
  if (await served('/overview')) return get<OverviewFigures>('/overview', { time_zone: timeZone() }, signal);
  const total = (query: Record<string, string>) => list<unknown>('/stations', { ...query, limit: 1 }, signal).then((p) => p.total);
  const [all, online, faulted, unavailable, sessions] = await Promise.all([
    total({}),
    total({ connected: 'true' }),
    total({ status: 'Faulted' }),
    total({ status: 'Unavailable' }),
    list<unknown>('/transactions', { state: 'Active', limit: 1 }, signal).then((p) => p.total),
  ]);
  return { stations: { total: all, online, offline: all - online, faulted, unavailable }, sessions_active: sessions };
}

/** A share as a percentage: 0.987 or "0.987" -> "98.7 %"; a value above 1 is taken as percent already. */
function percent(v: number | string | null | undefined): string {
  const n = typeof v === 'string' ? Number(v) : v;
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  return `${number(n <= 1 ? n * 100 : n, 1)} %`;
}

export function Counts(props: { tick: number }) {
  const data = useFetch(figures, [props.tick]);
  if (data.error) return <ErrorBox error={data.error} onRetry={data.reload} />;
  if (!data.data) return <Loading />;
  const f = data.data;
  const cards: { label: string; value: string; to?: string; tone?: string }[] = [
    { label: t('overview.stations'), value: number(f.stations.total, 0), to: '/stations' },
    { label: t('overview.online'), value: number(f.stations.online, 0), to: '/stations?connected=true', tone: 'ok' },
    { label: t('overview.offline'), value: number(f.stations.offline, 0), to: '/stations?connected=false', tone: f.stations.offline ? 'muted' : undefined },
    { label: t('overview.faulted'), value: number(f.stations.faulted, 0), to: '/stations?status=Faulted', tone: f.stations.faulted ? 'bad' : undefined },
    { label: t('overview.unavailable'), value: number(f.stations.unavailable, 0), to: '/stations?status=Unavailable' },
    { label: t('overview.sessionsActive'), value: number(f.sessions_active, 0) },
  ];
  if (f.sessions_today !== undefined) cards.push({ label: t('overview.sessionsToday'), value: number(f.sessions_today, 0) });
  if (f.energy_today_wh !== undefined) cards.push({ label: t('overview.energyToday'), value: energyWh(f.energy_today_wh, 1) });
  if (f.revenue_today !== undefined)
    cards.push({
      label: t('overview.revenueToday'),
      value: f.revenue_today.length
        ? f.revenue_today.map((r) => (r.incl_vat !== null ? money(r.incl_vat, r.currency) : t('overview.exclVat', { amount: money(r.excl_vat, r.currency) }))).join(' · ')
        : '–',
    });
  if (f.availability_24h !== undefined) cards.push({ label: t('overview.availability'), value: percent(f.availability_24h) });
  return (
    <ul class="figures-grid" aria-label={t('overview.figures')}>
      {cards.map((c) => (
        <li key={c.label} class={`card figure ${c.tone ?? ''}`}>
          <span class="figure-label">{c.label}</span>
          <span class="figure-value">{c.to ? <Link to={c.to}>{c.value}</Link> : c.value}</span>
        </li>
      ))}
    </ul>
  );
}
