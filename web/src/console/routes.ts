// Every console page, joined from the areas. The menu is built from these: an entry exists
// only for a page that exists and that the signed-in role may open.
import { routes as admin } from './admin';
import { routes as energy } from './energy';
import { routes as locations } from './locations';
import { routes as operations } from './operations';
import { routes as overview } from './overview';
import { routes as sessions } from './sessions';
import { routes as stations } from './stations';
import { routes as tariffs } from './tariffs';
import { routes as tokens } from './tokens';
import type { ConsoleRoute } from './types';

export const routes: ConsoleRoute[] = [
  ...overview,
  ...stations,
  ...operations,
  ...sessions,
  ...tokens,
  ...locations,
  ...tariffs,
  ...energy,
  ...admin,
];
