// Locations by name, filtered by the database; links to each location and to the map.
import { useState } from 'preact/hooks';
import { list, type Query } from '../../lib/api';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, Pager, useFetch } from '../../ui/components';
import type { Location } from './types';

const LIMIT = 50;

export function LocationList() {
  const [query, setQuery] = useState<Query>({});
  const [offset, setOffset] = useState(0);
  const page = useFetch((signal) => list<Location>('/locations', { ...query, limit: LIMIT, offset }, signal), [query, offset]);
  const submit = (e: Event) => {
    e.preventDefault();
    const q: Query = {};
    for (const [k, v] of new FormData(e.currentTarget as HTMLFormElement).entries()) if (String(v).trim()) q[k] = String(v).trim();
    setQuery(q);
    setOffset(0);
  };
  return (
    <section>
      <h1>{t('locations.title')}</h1>
      <p>
        <Link to="/map">{t('locations.showMap')}</Link>
      </p>
      <form class="row filters" onSubmit={submit} aria-label={t('locations.filters')}>
        <label>
          {t('locations.name')}
          <input name="name" size={16} />
        </label>
        <label>
          {t('locations.city')}
          <input name="city" size={14} />
        </label>
        <label>
          {t('locations.country')}
          <input name="country" size={4} maxLength={3} />
        </label>
        <label>
          {t('locations.published')}
          <select name="publish">
            <option value="">{t('common.all')}</option>
            <option value="true">{t('common.yes')}</option>
            <option value="false">{t('common.no')}</option>
          </select>
        </label>
        <button type="submit">{t('common.filter')}</button>
      </form>
      {page.error ? <ErrorBox error={page.error} onRetry={page.reload} /> : null}
      {page.loading && !page.data ? <Loading /> : null}
      {page.data && (
        <>
          <table>
            <caption class="sr-only">{t('locations.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('locations.name')}</th>
                <th scope="col">{t('locations.address')}</th>
                <th scope="col">{t('locations.city')}</th>
                <th scope="col">{t('locations.country')}</th>
                <th scope="col">{t('locations.timeZone')}</th>
                <th scope="col">{t('locations.published')}</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((l) => (
                <tr key={l.id}>
                  <td>
                    <Link to={`/locations/${encodeURIComponent(l.id)}`}>{l.name}</Link>
                  </td>
                  <td>{l.address ?? '–'}</td>
                  <td>{l.city ?? '–'}</td>
                  <td>{l.country ?? '–'}</td>
                  <td>{l.time_zone ?? '–'}</td>
                  <td>{l.publish ? t('common.yes') : t('common.no')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {page.data.items.length === 0 && <p class="muted">{t('common.empty')}</p>}
          {page.data.total !== undefined ? (
            <Pager page={page.data} onOffset={setOffset} />
          ) : (
            // GET /locations answers no total: a pager by next_offset alone.
            <nav class="pager" aria-label={t('locations.pages')}>
              <button class="secondary" disabled={page.data.offset === 0} onClick={() => setOffset(Math.max(0, page.data!.offset - LIMIT))}>
                {t('common.previous')}
              </button>
              <span>{t('locations.range', { from: page.data.items.length ? page.data.offset + 1 : 0, to: page.data.offset + page.data.items.length })}</span>
              <button class="secondary" disabled={page.data.next_offset === null} onClick={() => page.data!.next_offset !== null && setOffset(page.data!.next_offset)}>
                {t('common.next')}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}
