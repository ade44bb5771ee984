// The console's stations area: its pages.
import type { ConsoleRoute } from '../types';

export const routes: ConsoleRoute[] = [];
