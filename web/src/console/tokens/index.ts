// The console's tokens area: id tokens (RFID cards, app ids) the stations authorise.
import type { ConsoleRoute } from '../types';
import { TokenList } from './TokenList';
import './tokens.css';

export const routes: ConsoleRoute[] = [{ path: '/tokens', component: TokenList, role: 'viewer', nav: { label: 'tokens.nav', order: 30 } }];
