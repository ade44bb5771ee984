// The energy picture as GET /locations/{id}/energy answers it (src/api/energy_json.cpp).
// Amperes and kilowatts are JSON numbers or decimal strings (exact thousandths): read with num().

export type Quantity = number | string;

export interface Limit {
  per_phase_a: Quantity | null;
  power_kw: Quantity | null;
}

export interface Grid {
  location_id: string;
  limit: Limit;
  voltage_v: number;
  phases: number;
  fallback_per_evse_a: Quantity;
  demand_charge_per_kw: Quantity | null;
  site_meter: string | null;
  enabled: boolean;
  updated_at: string;
}

export interface Site {
  location_id: string;
  name: string | null;
  city: string | null;
  time_zone: string | null;
  grid: Grid;
}

export interface CircuitPicture {
  id: string | null; // null: the grid connection
  limit: Limit;
  allocated_a: Quantity[];
  measured_a: Quantity[];
}

export interface EvsePicture {
  station_id: string;
  evse_id: number;
  transaction_id: number | null;
  circuit: string | null;
  setpoint_a: Quantity;
  phases: number;
  paused: boolean;
  priority: number;
  measured_a: (Quantity | null)[];
  measured_power_kw: Quantity | null;
  overdrawing: boolean;
  need: { departure?: string | null; energy_kwh?: Quantity | null } | null;
}

export interface PlanSlot {
  start: string;
  site_limit_kw: Quantity;
  chargers_kw: Quantity;
  building_kw: Quantity;
  pv_kw: Quantity;
  price_per_kwh: Quantity | null;
}

export interface Picture {
  location_id: string;
  at: string;
  grid: Grid;
  circuits: CircuitPicture[];
  evses: EvsePicture[];
  plan: PlanSlot[];
  planned_at: string | null;
  active_dr: { from: string; to: string; max_power_kw: Quantity; source: string } | null;
}

/** A quantity for display and charts (never money). */
export function num(q: Quantity | null | undefined): number | null {
  if (q === null || q === undefined) return null;
  const v = typeof q === 'number' ? q : Number(q);
  return Number.isFinite(v) ? v : null;
}
