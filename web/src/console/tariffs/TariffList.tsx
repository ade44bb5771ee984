// Tariffs (OCPI 2.2.1), ordered by id and paged by the API, with a line of their prices.
import { useState } from 'preact/hooks';
import { list, type Query } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, Pager, useFetch } from '../../ui/components';
import { type OcpiTariff, summary, TYPES } from './model';

const LIMIT = 50;

export function TariffList() {
  const [query, setQuery] = useState<Query>({});
  const [offset, setOffset] = useState(0);
  const page = useFetch((signal) => list<OcpiTariff>('/tariffs', { ...query, limit: LIMIT, offset }, signal), [query, offset]);
  const submit = (e: Event) => {
    e.preventDefault();
    const q: Query = {};
    for (const [k, v] of new FormData(e.currentTarget as HTMLFormElement).entries()) if (String(v).trim()) q[k] = String(v).trim().toUpperCase();
    setQuery(q);
    setOffset(0);
  };
  return (
    <section>
      <h1>{t('tariffs.title')}</h1>
      {can('operator') && (
        <p>
          <Link to="/tariffs/new" class="button">
            {t('tariffs.new')}
          </Link>
        </p>
      )}
      <form class="row filters" onSubmit={submit} aria-label={t('tariffs.filters')}>
        <label>
          {t('tariffs.currency')}
          <input name="currency" size={4} maxLength={3} />
        </label>
        <label>
          {t('tariffs.type')}
          <select name="type">
            {TYPES.map((ty) => (
              <option key={ty} value={ty}>
                {ty ? t(`tariffs.type.${ty}`) : t('common.all')}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t('common.filter')}</button>
      </form>
      {page.error ? <ErrorBox error={page.error} onRetry={page.reload} /> : null}
      {page.loading && !page.data ? <Loading /> : null}
      {page.data && (
        <>
          <table>
            <caption class="sr-only">{t('tariffs.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('tariffs.id')}</th>
                <th scope="col">{t('tariffs.currency')}</th>
                <th scope="col">{t('tariffs.type')}</th>
                <th scope="col">{t('tariffs.prices')}</th>
                <th scope="col">{t('tariffs.lastUpdated')}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((tariff) => (
                <tr key={tariff.id}>
                  <td>
                    <Link to={`/tariffs/${encodeURIComponent(tariff.id!)}`}>{tariff.id}</Link>
                  </td>
                  <td>{tariff.currency}</td>
                  <td>{tariff.type ? t(`tariffs.type.${tariff.type}`) : '–'}</td>
                  <td>{tariff.tariff_alt_text?.find((a) => a.language === 'en')?.text ?? summary(tariff)}</td>
                  <td>{dateTime(tariff.last_updated)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.data.items.length === 0 && <p class="muted">{t('common.empty')}</p>}
          <Pager page={page.data} onOffset={setOffset} />
        </>
      )}
    </section>
  );
}
