// Find a charger: search, available now, connector type, power; a list or a simple map.
import { useEffect, useState } from 'preact/hooks';
import { list } from '../lib/api';
import { t } from '../lib/i18n';
import { ErrorBox, Link, Loading, Pager, StatusBadge, useFetch } from '../ui/components';
import { ChargerMap } from './ChargerMap';
import type { ChargerPlace } from './types';
import { CONNECTORS, connectorLabel, plainPrice, statusLabel } from './words';

const POWERS_KW = [11, 22, 50, 150];
const PAGE = 20;

export function FindPage() {
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [available, setAvailable] = useState(false);
  const [connector, setConnector] = useState('');
  const [minKw, setMinKw] = useState(0);
  const [view, setView] = useState<'list' | 'map'>('list');
  const [offset, setOffset] = useState(0);
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), 300);
    return () => clearTimeout(timer);
  }, [q]);
  useEffect(() => setOffset(0), [query, available, connector, minKw]);
  const result = useFetch(
    (signal) =>
      list<ChargerPlace>(
        '/drive/chargers',
        { q: query, available: available ? 'true' : undefined, connector, min_power_w: minKw ? minKw * 1000 : undefined, limit: PAGE, offset },
        signal,
      ),
    [query, available, connector, minKw, offset],
  );
  return (
    <>
      <h1>{t('drive.find.title')}</h1>
      <div class="filters" role="search">
        <label class="wide">
          {t('drive.find.search')}
          <input type="search" value={q} onInput={(e) => setQ((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          {t('drive.find.connector')}
          <select value={connector} onChange={(e) => setConnector((e.target as HTMLSelectElement).value)}>
            <option value="">{t('drive.find.connector.any')}</option>
            {CONNECTORS.map((c) => (
              <option key={c} value={c}>
                {t(`drive.connector.${c}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('drive.find.power')}
          <select value={String(minKw)} onChange={(e) => setMinKw(Number((e.target as HTMLSelectElement).value))}>
            <option value="0">{t('drive.find.power.any')}</option>
            {POWERS_KW.map((kw) => (
              <option key={kw} value={String(kw)}>
                {t('drive.find.power.atLeast', { kw })}
              </option>
            ))}
          </select>
        </label>
        <label class="check wide">
          <input type="checkbox" checked={available} onChange={(e) => setAvailable((e.target as HTMLInputElement).checked)} />
          {t('drive.find.available')}
        </label>
        <fieldset class="toggle">
          <legend>{t('drive.find.view')}</legend>
          {(['list', 'map'] as const).map((v) => (
            <label key={v} class="check">
              <input type="radio" name="view" value={v} checked={view === v} onChange={() => setView(v)} />
              {t(`drive.find.${v}`)}
            </label>
          ))}
        </fieldset>
      </div>
      {result.error ? (
        <ErrorBox error={result.error} onRetry={result.reload} />
      ) : !result.data ? (
        <Loading />
      ) : result.data.items.length === 0 ? (
        <p>{t('drive.find.none')}</p>
      ) : view === 'map' ? (
        <ChargerMap places={result.data.items} />
      ) : (
        <>
          <ul class="places">
            {result.data.items.map((p) => (
              <Place key={p.location.id} place={p} />
            ))}
          </ul>
          <Pager page={result.data} onOffset={setOffset} />
        </>
      )}
    </>
  );
}

function Place({ place }: { place: ChargerPlace }) {
  const { location: loc } = place;
  const address = [loc.address, [loc.postal_code, loc.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return (
    <li class="card place">
      <h2>{loc.name}</h2>
      {address && <p class="muted">{address}</p>}
      <ul class="evses">
        {place.evses.map((e) => (
          <li key={e.uid} class="evse">
            <div class="evse-head">
              <Link to={`/drive/evse/${encodeURIComponent(e.uid)}`} class="evse-link">
                {t('drive.find.charge', { evse: e.evse_id || e.uid })}
              </Link>
              <StatusBadge status={e.status} label={statusLabel(e.status)} />
            </div>
            <p class="small">{e.connectors.map(connectorLabel).join(' · ')}</p>
            <p class="small price">{plainPrice(e.tariff).text}</p>
          </li>
        ))}
      </ul>
    </li>
  );
}
