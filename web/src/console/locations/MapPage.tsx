// The map of locations (published or not) that have coordinates, with the same locations as a
// list beside it for keyboards and screen readers. Leaflet is loaded only on this page.
import { useEffect, useRef, useState } from 'preact/hooks';
import { list, type Page } from '../../lib/api';
import { t } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import { ErrorBox, Link, Loading, useFetch } from '../../ui/components';
import type { MapHandle, Marker } from './leafletMap';
import type { Location } from './types';

const PAGE = 1000;
const MAX = 10000;

async function allLocations(signal: AbortSignal): Promise<Location[]> {
  const out: Location[] = [];
  let offset: number | null = 0;
  while (offset !== null && out.length < MAX) {
    const page: Page<Location> = await list<Location>('/locations', { limit: PAGE, offset }, signal);
    out.push(...page.items);
    offset = page.next_offset;
  }
  return out;
}

function markersOf(locations: Location[]): Marker[] {
  const out: Marker[] = [];
  for (const l of locations) {
    if (!l.coordinates) continue;
    const lat = Number(l.coordinates.latitude);
    const lng = Number(l.coordinates.longitude);
    if (Number.isFinite(lat) && Number.isFinite(lng) && Math.abs(lat) <= 90 && Math.abs(lng) <= 180) out.push({ location: l, lat, lng });
  }
  return out;
}

export function MapPage() {
  const locations = useFetch(allLocations, []);
  const host = useRef<HTMLDivElement>(null);
  const [mapError, setMapError] = useState<unknown>(null);
  const markers = locations.data ? markersOf(locations.data) : null;

  useEffect(() => {
    if (!markers || !host.current) return;
    let handle: MapHandle | null = null;
    let gone = false;
    import('./leafletMap').then(
      (m) => {
        if (gone || !host.current) return;
        handle = m.drawMap(host.current, markers, (l) => navigate(`/locations/${encodeURIComponent(l.id)}`), {
          zoomIn: t('locations.map.zoomIn'),
          zoomOut: t('locations.map.zoomOut'),
        });
      },
      setMapError,
    );
    return () => {
      gone = true;
      handle?.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [locations.data]);

  return (
    <section>
      <h1>{t('locations.map.title')}</h1>
      {locations.error ? <ErrorBox error={locations.error} onRetry={locations.reload} /> : null}
      {mapError ? <ErrorBox error={mapError} /> : null}
      {!locations.data && !locations.error && <Loading />}
      {markers && (
        <div class="map-layout">
          <div ref={host} class="location-map" role="region" aria-label={t('locations.map.label', { n: markers.length })} data-testid="location-map" />
          <div class="map-list">
            <h2>{t('locations.map.list', { n: markers.length })}</h2>
            <ul class="plain">
              {markers.map((m) => (
                <li key={m.location.id}>
                  <Link to={`/locations/${encodeURIComponent(m.location.id)}`}>{m.location.name}</Link>
                  <span class="muted"> {[m.location.city, m.location.country].filter(Boolean).join(', ')}</span>
                </li>
              ))}
            </ul>
            {locations.data && locations.data.length > markers.length && (
              <p class="muted">{t('locations.map.unplaced', { n: locations.data.length - markers.length })}</p>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
