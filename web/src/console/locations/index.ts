// The console's locations area: locations with their EVSEs and connectors, the map, the QR codes.
import type { ConsoleRoute } from '../types';
import { LocationList } from './LocationList';
import { LocationPage } from './LocationPage';
import { MapPage } from './MapPage';
import { QrPage } from './QrPage';
import './locations.css';

export const routes: ConsoleRoute[] = [
  { path: '/locations', component: LocationList, role: 'viewer', nav: { label: 'locations.nav', order: 40 } },
  { path: '/map', component: MapPage, role: 'viewer', nav: { label: 'locations.map.nav', order: 41 } },
  { path: '/locations/:id', component: LocationPage, role: 'viewer' },
  { path: '/locations/:id/qr', component: QrPage, role: 'viewer' },
];
