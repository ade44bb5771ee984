// A location's EVSEs: those of each of its stations (GET /stations/{id}/evses), in station order.
import { list } from '../../lib/api';
import type { Evse } from './types';

export async function locationEvses(stations: string[], signal: AbortSignal): Promise<Evse[]> {
  const pages = await Promise.all(stations.map((s) => list<Evse>(`/stations/${encodeURIComponent(s)}/evses`, { limit: 1000 }, signal)));
  return pages.flatMap((p) => p.items);
}
