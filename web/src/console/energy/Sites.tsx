// The energy sites: the locations with a grid connection (GET /energy/sites), each linking to
// its live picture.
import { useState } from 'preact/hooks';
import { list } from '../../lib/api';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import './energy.css';
import { limitText } from './format';
import type { Site } from './types';

export function Sites() {
  const [offset, setOffset] = useState(0);
  const sites = useFetch((signal) => list<Site>('/energy/sites', { limit: 50, offset }, signal), [offset]);
  return (
    <section class="energy">
      <h1>{t('energy.title')}</h1>
      <p class="muted">{t('energy.intro')}</p>
      {sites.loading && !sites.data && <Loading />}
      {sites.error !== undefined && <ErrorBox error={sites.error} onRetry={sites.reload} />}
      {sites.data && sites.data.total === 0 && <p>{t('energy.noSites')}</p>}
      {sites.data && sites.data.total > 0 && (
        <>
          <table>
            <caption class="sr-only">{t('energy.sites')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('energy.site')}</th>
                <th scope="col">{t('energy.city')}</th>
                <th scope="col">{t('energy.limit')}</th>
                <th scope="col">{t('energy.supply')}</th>
                <th scope="col">{t('energy.state')}</th>
              </tr>
            </thead>
            <tbody>
              {sites.data.items.map((s) => (
                <tr key={s.location_id}>
                  <th scope="row">
                    <Link to={`/energy/${encodeURIComponent(s.location_id)}`}>{s.name ?? s.location_id}</Link>
                  </th>
                  <td>{s.city ?? '–'}</td>
                  <td>{limitText(s.grid.limit)}</td>
                  <td>{t('energy.phasesVolts', { phases: s.grid.phases, volts: s.grid.voltage_v })}</td>
                  <td>
                    <StatusBadge status={s.grid.enabled ? 'available' : 'offline'} label={s.grid.enabled ? t('energy.managed') : t('energy.notManaged')} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={sites.data} onOffset={setOffset} label={t('energy.pages')} />
        </>
      )}
    </section>
  );
}
