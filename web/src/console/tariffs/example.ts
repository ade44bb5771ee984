// The example session the editor prices: a start (a wall-clock time in the tariff's location
// zone), a charging stretch with its energy and peak power, then an optional parking stretch;
// turned into the periods of POST /tariffs/preview.

export interface Example {
  time_zone: string;
  /** "2026-03-02T18:00" in time_zone */
  start: string;
  charging_min: string;
  energy_kwh: string;
  max_power_kw: string;
  parking_min: string;
}

export interface PreviewPeriod {
  start: string;
  end: string;
  state: 'charging' | 'parking';
  energy_wh: number;
  max_power_w?: number;
}

/** The zone's offset from UTC at `utcMs`, in ms (positive east of Greenwich). */
function offsetAt(utcMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(utcMs));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** A wall-clock time in `timeZone` as a UTC instant (ms); null when it does not parse. */
export function zonedToUtc(local: string, timeZone: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!m) return null;
  const wall = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  try {
    let utc = wall - offsetAt(wall, timeZone);
    utc = wall - offsetAt(utc, timeZone);
    return utc;
  } catch {
    return null; // an unknown zone: the server names it
  }
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

/** The periods of the example; a field that does not parse gives an error key instead. */
export function periods(e: Example): { periods: PreviewPeriod[] } | { error: string } {
  const start = zonedToUtc(e.start, e.time_zone || 'UTC');
  if (start === null) return { error: 'tariffs.example.badStart' };
  const charging = Number(e.charging_min);
  const parking = e.parking_min.trim() ? Number(e.parking_min) : 0;
  const kwh = Number(e.energy_kwh);
  const kw = e.max_power_kw.trim() ? Number(e.max_power_kw) : null;
  if (!Number.isFinite(charging) || charging <= 0 || charging > 60 * 24 * 7) return { error: 'tariffs.example.badCharging' };
  if (!Number.isFinite(parking) || parking < 0 || parking > 60 * 24 * 7) return { error: 'tariffs.example.badParking' };
  if (!Number.isFinite(kwh) || kwh < 0 || kwh > 100000) return { error: 'tariffs.example.badEnergy' };
  if (kw !== null && (!Number.isFinite(kw) || kw < 0 || kw > 10000)) return { error: 'tariffs.example.badPower' };
  const end = start + Math.round(charging * 60) * 1000;
  const out: PreviewPeriod[] = [
    { start: iso(start), end: iso(end), state: 'charging', energy_wh: Math.round(kwh * 1000), ...(kw !== null ? { max_power_w: Math.round(kw * 1000) } : {}) },
  ];
  if (parking > 0) out.push({ start: iso(end), end: iso(end + Math.round(parking * 60) * 1000), state: 'parking', energy_wh: 0 });
  return { periods: out };
}

export function defaultExample(timeZone: string): Example {
  const today = new Date();
  const d = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
  return { time_zone: timeZone, start: `${d}T18:00`, charging_min: '60', energy_kwh: '20', max_power_kw: '11', parking_min: '30' };
}
