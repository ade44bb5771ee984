// The console's admin area: users, API keys and the audit log (admins only: the menu shows
// these entries to no other role, and the API refuses them too).
import type { ConsoleRoute } from '../types';
import { ApiKeys } from './ApiKeys';
import { Audit } from './Audit';
import { Users } from './Users';

export const routes: ConsoleRoute[] = [
  { path: '/admin/users', component: Users, role: 'admin', nav: { label: 'admin.nav.users', order: 80 } },
  { path: '/admin/api-keys', component: ApiKeys, role: 'admin', nav: { label: 'admin.nav.apiKeys', order: 81 } },
  { path: '/admin/audit', component: Audit, role: 'admin', nav: { label: 'admin.nav.audit', order: 82 } },
];
