// One location: its address and settings, its stations' EVSEs and connectors, and a printable
// QR code per EVSE for the driver portal.
import { get } from '../../lib/api';
import { number } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, StatusBadge, useFetch } from '../../ui/components';
import { locationEvses } from './evses';
import type { Connector, Location } from './types';

function connectorText(c: Connector): string {
  const parts = [c.standard, c.format, c.power_type].filter(Boolean).join(' · ');
  const power = c.max_electric_power ?? (c.max_voltage && c.max_amperage ? c.max_voltage * c.max_amperage * (c.power_type === 'AC_3_PHASE' ? 3 : 1) : null);
  return power ? `${parts} · ${t('locations.kw', { kw: number(power / 1000, 1) })}` : parts;
}

export function LocationPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const loc = useFetch((signal) => get<Location>(`/locations/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const stations = loc.data?.stations ?? [];
  const evses = useFetch((signal) => locationEvses(stations, signal), [stations.join('|')]);
  if (loc.error) return <ErrorBox error={loc.error} onRetry={loc.reload} />;
  if (!loc.data) return <Loading />;
  const l = loc.data;
  const qrBase = `/locations/${encodeURIComponent(l.id)}/qr`;
  return (
    <section>
      <p>
        <Link to="/locations">{t('locations.back')}</Link>
      </p>
      <h1>{l.name}</h1>
      <dl class="facts card">
        <dt>{t('locations.id')}</dt>
        <dd>{l.id}</dd>
        <dt>{t('locations.address')}</dt>
        <dd>{[l.address, [l.postal_code, l.city].filter(Boolean).join(' '), l.country].filter(Boolean).join(', ') || '–'}</dd>
        <dt>{t('locations.coordinates')}</dt>
        <dd>{l.coordinates ? `${l.coordinates.latitude}, ${l.coordinates.longitude}` : '–'}</dd>
        <dt>{t('locations.timeZone')}</dt>
        <dd>{l.time_zone ?? '–'}</dd>
        <dt>{t('locations.published')}</dt>
        <dd>{l.publish ? t('locations.publishedYes') : t('locations.publishedNo')}</dd>
        <dt>{t('locations.stations')}</dt>
        <dd>{stations.join(', ') || '–'}</dd>
      </dl>
      <h2>{t('locations.evses')}</h2>
      {evses.error ? <ErrorBox error={evses.error} onRetry={evses.reload} /> : null}
      {evses.loading && !evses.data ? <Loading /> : null}
      {evses.data && evses.data.length === 0 && <p class="muted">{t('locations.noEvses')}</p>}
      {evses.data && evses.data.length > 0 && (
        <>
          <p>
            <Link to={qrBase} class="button secondary">
              {t('locations.qrAll')}
            </Link>
          </p>
          <table>
            <caption class="sr-only">{t('locations.evses')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('locations.evse')}</th>
                <th scope="col">{t('locations.station')}</th>
                <th scope="col">{t('locations.status')}</th>
                <th scope="col">{t('locations.connectors')}</th>
                <th scope="col">{t('locations.qr')}</th>
              </tr>
            </thead>
            <tbody>
              {evses.data.map((e) => (
                <tr key={e.uid}>
                  <th scope="row">
                    {e.emi3_id ?? t('locations.evseNumber', { n: e.evse_id })}
                    {e.physical_reference && <span class="muted"> ({e.physical_reference})</span>}
                  </th>
                  <td>{e.station_id}</td>
                  <td>
                    <StatusBadge status={e.status} label={t(`locations.evseStatus.${e.status}`)} />
                  </td>
                  <td>
                    <ul class="plain">
                      {e.connectors.map((c) => (
                        <li key={c.connector_id}>
                          {t('locations.connector', { id: c.connector_id })}: {connectorText(c)}
                        </li>
                      ))}
                    </ul>
                  </td>
                  <td>
                    <Link to={`${qrBase}?evse=${encodeURIComponent(e.uid)}`}>{t('locations.qrOne', { evse: e.emi3_id ?? `${e.station_id}/${e.evse_id}` })}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
