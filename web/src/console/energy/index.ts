// The console's energy area: its pages.
import type { ConsoleRoute } from '../types';

export const routes: ConsoleRoute[] = [];
