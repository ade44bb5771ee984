// The driver portal API's shapes (docs/api.md "Driver portal API"), as the pages read them.
import type { Tariff } from './price';

export interface Coordinates {
  latitude: string;
  longitude: string;
}

export interface DriveLocation {
  id: string;
  name: string;
  address?: string | null;
  city?: string | null;
  postal_code?: string | null;
  country?: string | null;
  time_zone?: string | null;
  coordinates?: Coordinates | null;
}

export interface Connector {
  connector_id: number;
  standard?: string | null;
  power_type?: string | null;
  max_power_w?: number | null;
}

export interface Evse {
  uid: string;
  evse_id?: string | null;
  station_id: string;
  ocpp_evse_id?: number;
  status: string;
  connectors: Connector[];
  tariff: Tariff | null;
}

export interface ChargerPlace {
  location: DriveLocation;
  evses: Evse[];
}

export interface EvseLanding extends Evse {
  location: DriveLocation;
  card_payment?: { enabled: boolean; hold?: { amount: string; currency: string } | null } | null;
}

export interface Driver {
  email: string;
  name?: string | null;
  account_id: string;
  currency?: string | null;
}

export interface Money {
  currency: string;
  excl_vat: string;
  incl_vat?: string | null;
}

export type SessionStatus = 'starting' | 'charging' | 'suspended' | 'finishing' | 'ended' | 'failed';

export interface DriveSession {
  /** The capability (`ds_...`); null in a driver's list, which gives `ref` instead. */
  id: string | null;
  ref?: string | null;
  payment_method?: string | null;
  status: SessionStatus;
  evse_uid: string;
  station_id?: string;
  location_name?: string | null;
  time_zone?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  energy_wh?: number | null;
  power_w?: number | null;
  duration_s?: number | null;
  cost?: Money | null;
  failure?: string | null;
}

export interface ReceiptLine {
  dimension: 'FLAT' | 'ENERGY' | 'TIME' | 'PARKING_TIME';
  quantity: string | number;
  unit: string;
  amount_excl_vat: string;
}

export interface Receipt {
  cdr_id: string;
  location_name: string;
  address?: string | null;
  evse_id?: string | null;
  started_at: string;
  ended_at: string;
  energy_wh: number;
  charging_s: number;
  parking_s: number;
  currency: string;
  total_excl_vat: string;
  total_incl_vat?: string | null;
  vat: { rate: string | number; amount: string }[];
  lines: ReceiptLine[];
  payment?: { method: string; status: string; captured?: string | null } | null;
}
