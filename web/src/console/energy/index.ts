// The console's energy area: the sites with a grid connection, and each site's live energy
// picture (docs/energy.md). Locations without a grid connection have no energy page.
import type { ConsoleRoute } from '../types';
import { Site } from './Site';
import { Sites } from './Sites';

export const routes: ConsoleRoute[] = [
  { path: '/energy', component: Sites, role: 'viewer', nav: { label: 'energy.nav', order: 70 } },
  { path: '/energy/:id', component: Site, role: 'viewer' },
];
