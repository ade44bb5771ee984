// The console's stations area: the list (in the menu) and a station's page (reached by links).
import type { ConsoleRoute } from '../types';
import { StationList } from './StationList';
import { StationPage } from './StationPage';

export const routes: ConsoleRoute[] = [
  { path: '/stations', component: StationList, role: 'viewer', nav: { label: 'stations.nav', order: 10 } },
  { path: '/stations/:id', component: StationPage, role: 'viewer' },
];
