// The stations area's view of the API: the shapes it reads (docs/api.md) and the pure updates
// the live stream applies to them, so a list or a page changes in place without refetching.
import type { LiveEvent } from '../../lib/api';

export interface ConnectorState {
  evse_id: number;
  connector_id: number;
  status: string;
  error_code: string;
  info?: string | null;
  received_at: string;
}

export interface Station {
  id: string;
  registration: string;
  site: string | null;
  location_id: string | null;
  enabled: boolean;
  protocol: string | null;
  vendor: string;
  model: string;
  serial_number: string | null;
  firmware_version: string | null;
  last_boot_at: string | null;
  last_seen_at: string | null;
  connected?: boolean;
  connectors: ConnectorState[];
}

export interface DeviceVariable {
  component: string;
  component_instance: string | null;
  evse_id: number | null;
  connector_id: number | null;
  variable: string;
  variable_instance: string | null;
  attribute_type: string;
  value: string | null;
  mutability: string | null;
}

export interface StationDetail extends Station {
  device_model: DeviceVariable[];
}

export interface CommandRecord {
  id: number;
  station_id: string;
  kind: string;
  params: unknown;
  status: string;
  action: string | null;
  response: unknown;
  error: string | null;
  transaction_id: number | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

export interface MeterSample {
  timestamp: string;
  value: string;
  measurand: string | null;
  phase: string | null;
  unit: string | null;
}

export interface Transaction {
  id: number;
  station_id: string;
  evse_id: number;
  connector_id: number;
  id_tag: string;
  state: string;
  meter_start_wh: number;
  energy_wh: number;
  started_at: string;
  stopped_at: string | null;
  meter_values?: MeterSample[];
}

/** True for a 2.0.1 / 2.1 station (EVSE ids, device model); 1.6 otherwise. */
export function isV2(protocol: string | null | undefined): boolean {
  return !!protocol && protocol.startsWith('ocpp2');
}

/** The station as the live stream `e` leaves it (the same object when it does not concern it). */
export function applyEvent<S extends Station>(s: S, e: LiveEvent): S {
  if (e.station_id !== s.id) return s;
  const at = e.at ?? new Date().toISOString();
  switch (e.type) {
    case 'station.connected':
      return { ...s, connected: true, protocol: (e.data.protocol as string) ?? s.protocol, last_seen_at: at };
    case 'station.disconnected':
      return { ...s, connected: false };
    case 'status.changed': {
      const d = e.data as { evse_id: number; connector_id: number; status: string; error_code: string };
      const next: ConnectorState = { evse_id: d.evse_id, connector_id: d.connector_id, status: d.status, error_code: d.error_code, received_at: at };
      const others = s.connectors.filter((c) => !(c.evse_id === d.evse_id && c.connector_id === d.connector_id));
      const connectors = [...others, next].sort((a, b) => a.evse_id - b.evse_id || a.connector_id - b.connector_id);
      return { ...s, connectors, last_seen_at: at };
    }
    default:
      return s;
  }
}

/** The connectors worth showing as "the station's": connector 0 / EVSE 0 is the station itself. */
export function outlets(s: Station): ConnectorState[] {
  return s.connectors.filter((c) => c.connector_id !== 0 || (c.evse_id !== 0 && isV2(s.protocol)));
}

export interface SeriesPoint {
  t: number; // unix seconds (with milliseconds)
  powerW: number | null;
  energyWh: number | null;
}

function toWatts(value: number, unit: string | null): number {
  const u = (unit ?? '').toLowerCase();
  return u === 'kw' || u === 'kwh' ? value * 1000 : value;
}

/**
 * The session's power and energy over time from its meter values: power from
 * Power.Active.Import (phases summed when only phases are sent), else from the change of the
 * energy register; energy as the register less the meter start.
 */
export function sessionSeries(tx: Transaction): SeriesPoint[] {
  const byTime = new Map<number, { power: number | null; phases: number | null; register: number | null }>();
  for (const m of tx.meter_values ?? []) {
    const t = Date.parse(m.timestamp) / 1000;
    const value = Number(m.value);
    if (!Number.isFinite(t) || !Number.isFinite(value)) continue;
    const row = byTime.get(t) ?? { power: null, phases: null, register: null };
    const measurand = m.measurand ?? 'Energy.Active.Import.Register';
    if (measurand === 'Power.Active.Import') {
      if (m.phase && m.phase !== 'N') row.phases = (row.phases ?? 0) + toWatts(value, m.unit);
      else if (!m.phase) row.power = toWatts(value, m.unit);
    } else if (measurand === 'Energy.Active.Import.Register' && !m.phase) {
      row.register = toWatts(value, m.unit);
    }
    byTime.set(t, row);
  }
  const points: SeriesPoint[] = [];
  // The session starts from nothing at its start (when the meter's first reading is later).
  const start = Date.parse(tx.started_at) / 1000;
  const first = Math.min(...byTime.keys());
  if (Number.isFinite(start) && byTime.size && start < first) points.push({ t: start, powerW: null, energyWh: 0 });
  let last: { t: number; register: number } | null = Number.isFinite(start) ? { t: start, register: tx.meter_start_wh } : null;
  for (const t of [...byTime.keys()].sort((a, b) => a - b)) {
    const row = byTime.get(t)!;
    let powerW = row.power ?? row.phases;
    if (powerW === null && row.register !== null && last && t > last.t) powerW = ((row.register - last.register) * 3600) / (t - last.t);
    const energyWh = row.register !== null ? Math.max(0, row.register - tx.meter_start_wh) : null;
    if (row.register !== null) last = { t, register: row.register };
    points.push({ t, powerW, energyWh });
  }
  return points;
}
