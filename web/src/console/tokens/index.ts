// The console's tokens area: its pages.
import type { ConsoleRoute } from '../types';

export const routes: ConsoleRoute[] = [];
