// The console's locations area: its pages.
import type { ConsoleRoute } from '../types';

export const routes: ConsoleRoute[] = [];
