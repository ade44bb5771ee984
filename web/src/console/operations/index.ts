// The console's operations area: alerts and their rules, maintenance tickets, NEVI uptime with
// the outage log, and firmware campaigns (docs/operations.md). Viewers read every page; what
// changes something is offered to operators, as the API allows.
import type { ConsoleRoute } from '../types';
import { AlertList } from './AlertList';
import { AlertRuleNew } from './AlertRuleNew';
import { AlertRules } from './AlertRules';
import { CampaignList } from './CampaignList';
import { CampaignNew } from './CampaignNew';
import { CampaignPage } from './CampaignPage';
import { TicketList } from './TicketList';
import { TicketNew } from './TicketNew';
import { TicketPage } from './TicketPage';
import { Uptime } from './Uptime';

export const routes: ConsoleRoute[] = [
  { path: '/alerts', component: AlertList, role: 'viewer', nav: { label: 'alerts.nav', order: 11 } },
  { path: '/alerts/rules', component: AlertRules, role: 'viewer' },
  { path: '/alerts/rules/new', component: AlertRuleNew, role: 'operator' },
  { path: '/tickets', component: TicketList, role: 'viewer', nav: { label: 'tickets.nav', order: 12 } },
  // Before /tickets/:id: the first route that matches is the page.
  { path: '/tickets/new', component: TicketNew, role: 'operator' },
  { path: '/tickets/:id', component: TicketPage, role: 'viewer' },
  { path: '/uptime', component: Uptime, role: 'viewer', nav: { label: 'uptime.nav', order: 13 } },
  // Not /firmware: the server serves firmware files to stations under /firmware/ (and /firmware).
  { path: '/firmware-campaigns', component: CampaignList, role: 'viewer', nav: { label: 'firmware.nav', order: 14 } },
  // Before /firmware-campaigns/:id, for the same reason.
  { path: '/firmware-campaigns/new', component: CampaignNew, role: 'operator' },
  { path: '/firmware-campaigns/:id', component: CampaignPage, role: 'viewer' },
];
