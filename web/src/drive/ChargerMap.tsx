// A simple map of the places found: their coordinates projected onto a plain background
// (no tiles: nothing is fetched from outside), each place a link to its first charger.
import { t } from '../lib/i18n';
import { navigate } from '../lib/router';
import type { ChargerPlace } from './types';
import { statusLabel } from './words';

const W = 360;
const H = 300;
const PAD = 28;

interface Point {
  place: ChargerPlace;
  lat: number;
  lon: number;
}

export function ChargerMap({ places }: { places: ChargerPlace[] }) {
  const points: Point[] = [];
  for (const place of places) {
    const c = place.location.coordinates;
    const lat = Number(c?.latitude);
    const lon = Number(c?.longitude);
    if (c && Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180) points.push({ place, lat, lon });
  }
  if (points.length === 0) return <p>{t('drive.find.noCoordinates')}</p>;
  const lats = points.map((p) => p.lat);
  const lons = points.map((p) => p.lon);
  // Equirectangular, longitudes shrunk by the cosine of the middle latitude; a margin of ~1 km.
  const midLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const k = Math.cos((midLat * Math.PI) / 180);
  const minX = Math.min(...lons) * k - 0.01;
  const maxX = Math.max(...lons) * k + 0.01;
  const minY = Math.min(...lats) - 0.01;
  const maxY = Math.max(...lats) + 0.01;
  const scale = Math.min((W - 2 * PAD) / (maxX - minX), (H - 2 * PAD) / (maxY - minY));
  const ox = (W - (maxX - minX) * scale) / 2;
  const oy = (H - (maxY - minY) * scale) / 2;
  const xy = (p: Point) => [ox + (p.lon * k - minX) * scale, H - (oy + (p.lat - minY) * scale)];
  return (
    <figure class="map">
      <svg viewBox={`0 0 ${W} ${H}`} role="group" aria-label={t('drive.find.mapLabel')}>
        <rect class="map-bg" x="0" y="0" width={W} height={H} rx="8" />
        {points.map((p) => {
          const [x, y] = xy(p);
          const free = p.place.evses.filter((e) => e.status === 'Available').length;
          const first = p.place.evses[0];
          const to = first ? `/drive/evse/${encodeURIComponent(first.uid)}` : '/drive';
          const label = `${p.place.location.name}: ${free}/${p.place.evses.length} ${statusLabel('Available')}`;
          return (
            <a
              key={p.place.location.id}
              href={to}
              aria-label={label}
              onClick={(e) => {
                e.preventDefault();
                navigate(to);
              }}
            >
              <circle cx={x} cy={y} r="9" class={free ? 'pin free' : 'pin busy'} />
              <text x={x > W * 0.6 ? x - 12 : x + 12} y={y + 4} text-anchor={x > W * 0.6 ? 'end' : 'start'} class="pin-label">
                {p.place.location.name}
              </text>
            </a>
          );
        })}
      </svg>
    </figure>
  );
}
