// The stations list: one page from the API at a time (filtered and paged by the database, so it
// stays fast at 10,000 stations), kept live by the event stream: a row changes in place when
// its station connects, drops or reports a status; nothing is refetched for it.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { list, type Page } from '../../lib/api';
import { relative } from '../../lib/format';
import { t } from '../../lib/i18n';
import { navigate, useLocation } from '../../lib/router';
import { ErrorBox, Link, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import { useBatchedEvents } from './batched';
import { applyEvent, outlets, type Station } from './model';
import { ConnectionBadge, statusLabel, STATUSES } from './parts';
import './stations.css';

const PAGE = 50;
const FILTERS = ['location', 'status', 'connected', 'protocol', 'search'] as const;

interface LocationItem {
  id: string;
  name: string;
}

export function StationList() {
  const { query } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((f) => [f, query.get(f) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const offset = Number(query.get('offset') ?? 0) || 0;
  const key = JSON.stringify([filters, offset]);

  const page = useFetch((signal) => list<Station>('/stations', { ...filters, limit: PAGE, offset }, signal), [key]);
  const locations = useFetch((signal) => list<LocationItem>('/locations', { limit: 1000 }, signal), []);
  const [rows, setRows] = useState<Station[]>([]);
  const [elsewhere, setElsewhere] = useState(0);
  const [live, setLive] = useState<'open' | 'reconnecting' | 'closed'>('closed');
  useEffect(() => {
    setRows(page.data?.items ?? []);
    setElsewhere(0);
  }, [page.data]);

  // The rows shown, by id, for the stream's handler (which outlives renders).
  const shown = useRef(new Set<string>());
  shown.current = useMemo(() => new Set(rows.map((r) => r.id)), [rows]);
  useBatchedEvents(
    (batch) => {
      const relevant = batch.filter((e) => e.station_id && ['station.connected', 'station.disconnected', 'status.changed'].includes(e.type));
      const here = relevant.filter((e) => shown.current.has(e.station_id!));
      if (here.length) setRows((rs) => rs.map((r) => here.reduce((s, e) => applyEvent(s, e), r)));
      if (relevant.length > here.length) setElsewhere((n) => n + relevant.length - here.length);
    },
    { onState: setLive },
  );

  const setQuery = (changes: Record<string, string>) => {
    const next = new URLSearchParams(location.search);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('offset' in changes)) next.delete('offset');
    const qs = next.toString();
    navigate(`/stations${qs ? `?${qs}` : ''}`, true);
  };

  return (
    <section class="stations">
      <div class="title-row">
        <h1>{t('stations.title')}</h1>
        <span class={`live-state ${live}`} role="status">
          {live === 'open' ? t('app.live') : t('app.reconnecting')}
        </span>
      </div>
      <Filters filters={filters} locations={locations.data?.items ?? []} onChange={setQuery} />
      {elsewhere > 0 && (
        <p class="notice" role="status">
          {t('stations.elsewhere', { count: elsewhere })}{' '}
          <button class="secondary" onClick={page.reload}>
            {t('stations.refresh')}
          </button>
        </p>
      )}
      {page.error ? (
        <ErrorBox error={page.error} onRetry={page.reload} />
      ) : !page.data ? (
        <Loading />
      ) : (
        <StationTable rows={rows} page={page.data} locations={locations.data?.items ?? []} onOffset={(o) => setQuery({ offset: String(o) })} />
      )}
    </section>
  );
}

function Filters(props: { filters: Record<string, string>; locations: LocationItem[]; onChange: (c: Record<string, string>) => void }) {
  const { filters, onChange } = props;
  const [search, setSearch] = useState(filters.search);
  useEffect(() => setSearch(filters.search), [filters.search]);
  useEffect(() => {
    if (search === filters.search) return;
    const timer = setTimeout(() => onChange({ search: search.trim() }), 300);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);
  return (
    <form class="row filters" role="search" aria-label={t('stations.filters')} onSubmit={(e) => e.preventDefault()}>
      <label>
        {t('stations.search')}
        <input type="search" value={search} maxLength={64} placeholder={t('stations.searchHint')} onInput={(e) => setSearch(e.currentTarget.value)} />
      </label>
      <label>
        {t('stations.location')}
        <select value={filters.location} onChange={(e) => onChange({ location: e.currentTarget.value })}>
          <option value="">{t('common.all')}</option>
          {props.locations.map((l) => (
            <option key={l.id} value={l.id}>
              {l.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('stations.status')}
        <select value={filters.status} onChange={(e) => onChange({ status: e.currentTarget.value })}>
          <option value="">{t('common.all')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {statusLabel(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('stations.connection')}
        <select value={filters.connected} onChange={(e) => onChange({ connected: e.currentTarget.value })}>
          <option value="">{t('common.all')}</option>
          <option value="true">{t('common.online')}</option>
          <option value="false">{t('common.offline')}</option>
        </select>
      </label>
      <label>
        {t('stations.protocol')}
        <select value={filters.protocol} onChange={(e) => onChange({ protocol: e.currentTarget.value })}>
          <option value="">{t('common.all')}</option>
          <option value="ocpp1.6">OCPP 1.6</option>
          <option value="ocpp2.0.1">OCPP 2.0.1</option>
          <option value="ocpp2.1">OCPP 2.1</option>
        </select>
      </label>
    </form>
  );
}

function StationTable(props: { rows: Station[]; page: Page<Station>; locations: LocationItem[]; onOffset: (o: number) => void }) {
  const names = new Map(props.locations.map((l) => [l.id, l.name]));
  if (!props.rows.length) return <p class="muted">{t('stations.none')}</p>;
  return (
    <>
      <table class="station-table">
        <caption class="sr-only">{t('stations.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stations.id')}</th>
            <th scope="col">{t('stations.connection')}</th>
            <th scope="col">{t('stations.connectors')}</th>
            <th scope="col">{t('stations.location')}</th>
            <th scope="col">{t('stations.protocol')}</th>
            <th scope="col">{t('stations.vendorModel')}</th>
            <th scope="col">{t('stations.lastSeen')}</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((s) => (
            <tr key={s.id} data-station={s.id}>
              <th scope="row">
                <Link to={`/stations/${encodeURIComponent(s.id)}`}>{s.id}</Link>
              </th>
              <td>
                <ConnectionBadge station={s} />
              </td>
              <td class="connectors">
                {outlets(s).map((c) => (
                  <StatusBadge key={`${c.evse_id}/${c.connector_id}`} status={c.status} label={`${c.evse_id || c.connector_id}: ${statusLabel(c.status)}`} />
                ))}
              </td>
              <td>{(s.location_id && names.get(s.location_id)) || s.site || '–'}</td>
              <td>{s.protocol ?? '–'}</td>
              <td>{[s.vendor, s.model].filter(Boolean).join(' ') || '–'}</td>
              <td>{relative(s.last_seen_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={props.page} onOffset={props.onOffset} label={t('stations.pages')} />
    </>
  );
}
