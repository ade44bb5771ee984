// Sessions (transactions of every protocol version), newest filters first, paged by the API.
import { useEffect } from 'preact/hooks';
import { events, list } from '../../lib/api';
import { dateTime, energyWh } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import { useUrlFilters } from './filters';
import { FilterSelect } from './FilterSelect';
import { LocationSelect } from './LocationSelect';
import type { Transaction } from './types';

const LIMIT = 50;

export function SessionList() {
  const filters = useUrlFilters(['state', 'station', 'location', 'id_tag', 'from', 'to'], { from: 'from', to: 'to' });
  const key = JSON.stringify(filters.apiQuery(LIMIT));
  const page = useFetch((signal) => list<Transaction>('/transactions', filters.apiQuery(LIMIT), signal), [key]);
  const v = filters.values;
  // Sessions that start or end show up without a reload: the page is fetched again, at most
  // every 3 s, when the live stream says so.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = events({
      onEvent: (e) => {
        if ((e.type !== 'transaction.started' && e.type !== 'transaction.ended') || timer) return;
        timer = setTimeout(() => {
          timer = null;
          page.reload();
        }, 3000);
      },
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const submit = (e: Event) => {
    e.preventDefault();
    filters.submit(e.currentTarget as HTMLFormElement);
  };
  return (
    <section>
      <h1>{t('sessions.title')}</h1>
      <form key={filters.key} class="row filters" onSubmit={submit} aria-label={t('sessions.filters')}>
        <FilterSelect name="state" label={t('sessions.state')} initial={v.state}>
          <option value="">{t('common.all')}</option>
          <option value="Active">{t('sessions.state.Active')}</option>
          <option value="Ended">{t('sessions.state.Ended')}</option>
        </FilterSelect>
        <label>
          {t('sessions.station')}
          <input name="station" size={14} defaultValue={v.station} />
        </label>
        <LocationSelect name="location" label={t('sessions.location')} value={v.location} />
        <label>
          {t('sessions.idTag')}
          <input name="id_tag" size={14} defaultValue={v.id_tag} />
        </label>
        <label>
          {t('sessions.from')}
          <input name="from" type="date" defaultValue={v.from} />
        </label>
        <label>
          {t('sessions.to')}
          <input name="to" type="date" defaultValue={v.to} />
        </label>
        <button type="submit">{t('common.filter')}</button>
      </form>
      {page.error ? <ErrorBox error={page.error} onRetry={page.reload} /> : null}
      {page.loading && !page.data ? <Loading /> : null}
      {page.data && (
        <>
          <table>
            <caption class="sr-only">{t('sessions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sessions.id')}</th>
                <th scope="col">{t('sessions.station')}</th>
                <th scope="col">{t('sessions.evse')}</th>
                <th scope="col">{t('sessions.idTag')}</th>
                <th scope="col">{t('sessions.started')}</th>
                <th scope="col">{t('sessions.ended')}</th>
                <th scope="col" class="num">{t('sessions.energy')}</th>
                <th scope="col">{t('sessions.state')}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((tx) => (
                <tr key={tx.id}>
                  <td>
                    <Link to={`/sessions/${tx.id}`}>{t('sessions.link', { id: tx.id })}</Link>
                  </td>
                  <td>{tx.station_id}</td>
                  <td>{evseLabel(tx)}</td>
                  <td>{tx.id_tag ?? '–'}</td>
                  <td>{dateTime(tx.started_at)}</td>
                  <td>{dateTime(tx.stopped_at)}</td>
                  <td class="num">{energyWh(tx.energy_wh)}</td>
                  <td>
                    <StatusBadge status={tx.state === 'Active' ? 'charging' : 'ended'} label={t(`sessions.state.${tx.state}`)} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.data.items.length === 0 && <p class="muted">{t('common.empty')}</p>}
          <Pager page={page.data} onOffset={filters.setOffset} />
        </>
      )}
    </section>
  );
}

export function evseLabel(tx: Pick<Transaction, 'evse_id' | 'connector_id'>): string {
  if (tx.evse_id === null && tx.connector_id === null) return '–';
  return t('sessions.evseConnector', { evse: tx.evse_id ?? '–', connector: tx.connector_id ?? '–' });
}
