// The map of locations with Leaflet and no tile server: a bundled low-detail outline of the
// world's countries (Natural Earth 1:110m from world-atlas, a hashed file of the build fetched
// from the same origin) over a sea-coloured background, and one marker per location.
// Loaded on demand, so the rest of the console does not carry Leaflet.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import outlineUrl from 'world-atlas/countries-110m.json?url';
import type { Location } from './types';

export interface MapHandle {
  destroy(): void;
}

export interface Marker {
  location: Location;
  lat: number;
  lng: number;
}

let outline: Promise<GeoJSON.GeoJsonObject> | null = null;
function loadOutline(): Promise<GeoJSON.GeoJsonObject> {
  outline ??= fetch(outlineUrl)
    .then((r) => {
      if (!r.ok) throw new Error(`outline: HTTP ${r.status}`);
      return r.json() as Promise<Topology<{ countries: GeometryCollection }>>;
    })
    .then((topo) => feature(topo, topo.objects.countries) as GeoJSON.GeoJsonObject);
  return outline;
}

export function drawMap(host: HTMLElement, markers: Marker[], onOpen: (l: Location) => void, labels: { zoomIn: string; zoomOut: string }): MapHandle {
  const map = L.map(host, { zoomControl: false, attributionControl: false, worldCopyJump: true, minZoom: 2, maxZoom: 16 });
  L.control.zoom({ zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  // The outline in a pane of its own under the markers' (overlayPane, z-index 400), drawn
  // whenever it arrives without covering them.
  map.createPane('outline').style.zIndex = '350';
  const land = L.geoJSON(undefined, {
    pane: 'outline',
    interactive: false,
    style: { color: '#8a9a8f', weight: 1, fillColor: '#e9efe6', fillOpacity: 1 },
  }).addTo(map);
  loadOutline().then(
    (geo) => land.addData(geo),
    () => host.classList.add('no-outline'), // the markers still stand on the plain background
  );
  const group = L.featureGroup().addTo(map);
  for (const m of markers) {
    const marker = L.circleMarker([m.lat, m.lng], { radius: 9, color: '#ffffff', weight: 2, fillColor: '#0b6e4f', fillOpacity: 1 });
    // Names stay shown while there are few enough to read; else on hover.
    marker.bindTooltip(m.location.name, { direction: 'top', offset: [0, -8], permanent: markers.length <= 25 });
    marker.on('click', () => onOpen(m.location));
    marker.addTo(group);
  }
  if (markers.length) map.fitBounds(group.getBounds(), { padding: [40, 40], maxZoom: 12 });
  else map.setView([50, 10], 4);
  return { destroy: () => map.remove() };
}
