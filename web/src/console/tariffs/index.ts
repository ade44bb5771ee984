// The console's tariffs area: the list and the editor with its live price preview.
import type { ConsoleRoute } from '../types';
import { TariffEditor } from './TariffEditor';
import { TariffList } from './TariffList';
import './tariffs.css';

export const routes: ConsoleRoute[] = [
  { path: '/tariffs', component: TariffList, role: 'viewer', nav: { label: 'tariffs.nav', order: 50 } },
  // Before "/tariffs/:id": a tariff whose id is "new" is opened from the list's link instead.
  { path: '/tariffs/new', component: TariffEditor, role: 'operator' },
  { path: '/tariffs/:id', component: TariffEditor, role: 'viewer' },
];
