// A session's meter values as chart data: the energy register (kWh, relative to the start) and
// the active power (kW, the sum of phases when only per-phase values exist), on one time axis.
import type { MeterValue } from './types';

const ENERGY = 'Energy.Active.Import.Register';
const POWER = 'Power.Active.Import';

function scaled(v: MeterValue, base: 'Wh' | 'W'): number | null {
  const x = Number(v.value);
  if (!Number.isFinite(x)) return null;
  const unit = v.unit ?? base;
  if (unit === 'k' + base) return x;
  if (unit === base) return x / 1000;
  return null;
}

export interface MeterSeries {
  /** [unix seconds, energy kWh since start, power kW] */
  data: (number | null)[][];
  points: number;
}

export function meterSeries(values: MeterValue[], meterStartWh: number | null): MeterSeries {
  const rows = new Map<number, { energy: number | null; power: number | null; phases: number }>();
  for (const v of values) {
    const measurand = v.measurand ?? ENERGY; // OCPP's default measurand
    if (measurand !== ENERGY && measurand !== POWER) continue;
    const at = Math.floor(Date.parse(v.timestamp) / 1000);
    if (!Number.isFinite(at)) continue;
    const row = rows.get(at) ?? { energy: null, power: null, phases: 0 };
    if (measurand === ENERGY && (v.phase === null || v.phase === undefined)) {
      const kwh = scaled(v, 'Wh');
      if (kwh !== null) row.energy = meterStartWh === null ? kwh : Math.max(0, kwh - meterStartWh / 1000);
    } else if (measurand === POWER) {
      const kw = scaled(v, 'W');
      if (kw !== null) {
        if (!v.phase) {
          row.power = kw;
          row.phases = -1; // a total wins over phases
        } else if (row.phases >= 0 && /^L[123](-N)?$/.test(v.phase)) {
          row.power = (row.power ?? 0) + kw;
          row.phases += 1;
        }
      }
    }
    rows.set(at, row);
  }
  const times = [...rows.keys()].sort((a, b) => a - b);
  return {
    data: [times, times.map((x) => rows.get(x)!.energy), times.map((x) => rows.get(x)!.power)],
    points: times.length,
  };
}
