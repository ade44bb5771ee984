// The console's overview area: its pages.
import type { ConsoleRoute } from '../types';
import { Overview } from './Overview';

export const routes: ConsoleRoute[] = [{ path: '/', component: Overview, role: 'viewer', nav: { label: 'overview.nav', order: 0 } }];
