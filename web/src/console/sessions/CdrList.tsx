// Charge detail records with the API's filters, paged, and the same selection as a CSV file.
import { useState } from 'preact/hooks';
import { download, list } from '../../lib/api';
import { dateTime, money, number } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, Pager, useFetch } from '../../ui/components';
import { useUrlFilters } from './filters';
import { FilterSelect } from './FilterSelect';
import { LocationSelect } from './LocationSelect';
import type { Cdr } from './types';

const LIMIT = 50;

export function CdrList() {
  const filters = useUrlFilters(['from', 'to', 'location', 'station', 'token', 'currency', 'credit'], { from: 'from', to: 'to' });
  const [exportError, setExportError] = useState<unknown>(null);
  const key = JSON.stringify(filters.apiQuery(LIMIT));
  const page = useFetch((signal) => list<Cdr>('/cdrs', filters.apiQuery(LIMIT), signal), [key]);
  const v = filters.values;
  const submit = (e: Event) => {
    e.preventDefault();
    filters.submit(e.currentTarget as HTMLFormElement);
  };
  const exportCsv = () => {
    setExportError(null);
    // The whole selection, not the page shown: the CSV's own default limit (10,000).
    const { limit: _limit, offset: _offset, ...query } = filters.apiQuery(LIMIT);
    void _limit;
    void _offset;
    // GET /cdrs.csv with the bearer header, saved as a file.
    download('/cdrs.csv', query, 'cdrs.csv').catch(setExportError);
  };
  return (
    <section>
      <h1>{t('cdrs.title')}</h1>
      <form key={filters.key} class="row filters" onSubmit={submit} aria-label={t('cdrs.filters')}>
        <label>
          {t('cdrs.from')}
          <input name="from" type="date" defaultValue={v.from} />
        </label>
        <label>
          {t('cdrs.to')}
          <input name="to" type="date" defaultValue={v.to} />
        </label>
        <LocationSelect name="location" label={t('cdrs.location')} value={v.location} />
        <label>
          {t('cdrs.station')}
          <input name="station" size={14} defaultValue={v.station} />
        </label>
        <label>
          {t('cdrs.token')}
          <input name="token" size={14} defaultValue={v.token} />
        </label>
        <label>
          {t('cdrs.currency')}
          <input name="currency" size={4} maxLength={3} pattern="[A-Za-z]{3}" defaultValue={v.currency} />
        </label>
        <FilterSelect name="credit" label={t('cdrs.kind')} initial={v.credit}>
          <option value="">{t('common.all')}</option>
          <option value="false">{t('cdrs.kind.original')}</option>
          <option value="true">{t('cdrs.kind.credit')}</option>
        </FilterSelect>
        <button type="submit">{t('common.filter')}</button>
        <button type="button" class="secondary" onClick={exportCsv}>
          {t('cdrs.exportCsv')}
        </button>
      </form>
      {exportError ? <ErrorBox error={exportError} /> : null}
      {page.error ? <ErrorBox error={page.error} onRetry={page.reload} /> : null}
      {page.loading && !page.data ? <Loading /> : null}
      {page.data && (
        <>
          <table>
            <caption class="sr-only">{t('cdrs.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('cdrs.id')}</th>
                <th scope="col">{t('cdrs.session')}</th>
                <th scope="col">{t('cdrs.location')}</th>
                <th scope="col">{t('cdrs.token')}</th>
                <th scope="col">{t('cdrs.ended')}</th>
                <th scope="col" class="num">{t('cdrs.energy')}</th>
                <th scope="col" class="num">{t('cdrs.totalExcl')}</th>
                <th scope="col" class="num">{t('cdrs.totalIncl')}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link to={`/cdrs/${encodeURIComponent(c.id)}`}>{c.id}</Link>
                    {c.credit && <span class="muted"> {t('cdrs.kind.credit')}</span>}
                  </td>
                  <td>
                    <Link to={`/sessions/${encodeURIComponent(c.session_id)}`}>{c.session_id}</Link>
                  </td>
                  <td>{c.cdr_location.name ?? c.cdr_location.id}</td>
                  <td>{c.cdr_token.uid}</td>
                  <td>{dateTime(c.end_date_time)}</td>
                  <td class="num">{number(c.total_energy, 3)} kWh</td>
                  <td class="num">{money(c.total_cost.excl_vat, c.currency)}</td>
                  <td class="num">{c.total_cost.incl_vat === undefined ? '–' : money(c.total_cost.incl_vat, c.currency)}</td>
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
