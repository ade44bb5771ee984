// The console's tariffs area: its pages.
import type { ConsoleRoute } from '../types';

export const routes: ConsoleRoute[] = [];
