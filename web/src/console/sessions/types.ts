// What the sessions area reads from the API (docs/api.md, docs/cdrs.md, docs/pricing.md).
// Money in these objects is the engine's exact decimal printed as a JSON number; the pages
// only format it, never add it up.

export interface Transaction {
  id: number;
  station_id: string;
  station_transaction_id: string;
  protocol: string;
  evse_id: number | null;
  connector_id: number | null;
  id_tag: string | null;
  state: 'Active' | 'Ended';
  authorization: string | null;
  meter_start_wh: number | null;
  meter_stop_wh: number | null;
  energy_wh: number | null;
  started_at: string;
  stopped_at: string | null;
  stop_reason: string | null;
  charging_state: string | null;
}

export interface MeterValue {
  timestamp: string;
  value: string;
  measurand: string | null;
  phase: string | null;
  unit: string | null;
  context: string | null;
}

export interface TransactionDetail extends Transaction {
  meter_values: MeterValue[];
}

export interface Amount {
  excl_vat: number;
  incl_vat?: number;
}

export interface Dimension {
  type: string;
  volume: number;
}

export interface ChargingPeriod {
  start_date_time: string;
  dimensions: Dimension[];
  tariff_id?: string;
}

/** The OCPI totals shared by a session's cost, a CDR and a tariff preview. */
export interface Totals {
  currency: string;
  total_cost: Amount;
  total_fixed_cost?: Amount;
  total_energy: number;
  total_energy_cost?: Amount;
  total_time: number;
  total_time_cost?: Amount;
  total_parking_time?: number;
  total_parking_cost?: Amount;
  total_reservation_cost?: Amount;
  charging_periods: ChargingPeriod[];
}

export interface Cost extends Totals {
  transaction_id: number;
  final: boolean;
  time_zone: string;
  tariffs: { id: string }[];
}

export interface Cdr extends Totals {
  id: string;
  country_code: string;
  party_id: string;
  start_date_time: string;
  end_date_time: string;
  session_id: string;
  cdr_token: { uid: string; type: string; contract_id: string };
  auth_method: string;
  cdr_location: {
    id: string;
    name?: string;
    address?: string;
    city?: string;
    country?: string;
    evse_uid?: string;
    evse_id?: string;
    connector_id?: string;
  };
  tariffs: { id: string }[];
  remark?: string;
  credit?: boolean;
  credit_reference_id?: string;
  invoice_reference_id?: string;
  last_updated: string;
}
