// The console's sessions area: sessions and their charge detail records.
import type { ConsoleRoute } from '../types';
import { CdrList } from './CdrList';
import { CdrPage } from './CdrPage';
import { SessionList } from './SessionList';
import { SessionPage } from './SessionPage';
import './sessions.css';

export const routes: ConsoleRoute[] = [
  { path: '/sessions', component: SessionList, role: 'viewer', nav: { label: 'sessions.nav', order: 20 } },
  { path: '/sessions/:id', component: SessionPage, role: 'viewer' },
  { path: '/cdrs', component: CdrList, role: 'viewer', nav: { label: 'cdrs.nav', order: 21 } },
  { path: '/cdrs/:id', component: CdrPage, role: 'viewer' },
];
