// The console's sessions area: its pages.
import type { ConsoleRoute } from '../types';

export const routes: ConsoleRoute[] = [];
