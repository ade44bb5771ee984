// The console's admin area: its pages.
import type { ConsoleRoute } from '../types';

export const routes: ConsoleRoute[] = [];
