// The print view of a location's EVSE codes (or one EVSE's, ?evse=UID): each code encodes the
// driver portal's page of that EVSE, printed with the URL in words beneath it.
import { get } from '../../lib/api';
import { t } from '../../lib/i18n';
import { Link, ErrorBox, Loading, useFetch } from '../../ui/components';
import { useLocation } from '../../lib/router';
import { locationEvses } from './evses';
import { QrCode } from './Qr';
import { evseUrl, type Location } from './types';

export function QrPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const { query } = useLocation();
  const only = query.get('evse');
  const loc = useFetch((signal) => get<Location>(`/locations/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const stations = loc.data?.stations ?? [];
  const evses = useFetch((signal) => locationEvses(stations, signal), [stations.join('|')]);
  if (loc.error) return <ErrorBox error={loc.error} onRetry={loc.reload} />;
  if (!loc.data || !evses.data) return evses.error ? <ErrorBox error={evses.error} onRetry={evses.reload} /> : <Loading />;
  const shown = evses.data.filter((e) => !only || e.uid === only);
  return (
    <section class="qr-page">
      <p class="no-print">
        <Link to={`/locations/${encodeURIComponent(id)}`}>{t('locations.backTo', { name: loc.data.name })}</Link>
      </p>
      <h1>{t('locations.qrTitle', { name: loc.data.name })}</h1>
      <p class="no-print">
        <button onClick={() => window.print()}>{t('locations.print')}</button>
      </p>
      {shown.length === 0 && <p class="muted">{t('locations.noEvses')}</p>}
      <div class="qr-sheet">
        {shown.map((e) => {
          const target = evseUrl(e.uid);
          const name = e.emi3_id ?? `${e.station_id} · ${t('locations.evseNumber', { n: e.evse_id })}`;
          return (
            <figure class="qr-card" key={e.uid} data-evse={e.uid}>
              <QrCode text={target} label={t('locations.qrLabel', { evse: name })} />
              <figcaption>
                <strong>{name}</strong>
                <span class="qr-hint">{t('locations.qrHint')}</span>
                <span class="qr-url">{target}</span>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </section>
  );
}
