// Locations, EVSEs and connectors as the API serves them (OCPI 2.2.1 fields, docs/api.md).

export interface Location {
  id: string;
  name: string;
  address: string | null;
  city: string | null;
  postal_code: string | null;
  state: string | null;
  country: string | null;
  /** Decimal strings as stored, e.g. "52.378901". */
  coordinates: { latitude: string; longitude: string } | null;
  time_zone: string | null;
  publish: boolean;
  facilities: string[];
  parking_type: string | null;
  last_updated: string;
  stations?: string[];
}

export interface Connector {
  connector_id: number;
  standard: string | null;
  format: string | null;
  power_type: string | null;
  max_voltage: number | null;
  max_amperage: number | null;
  max_electric_power: number | null;
}

export interface Evse {
  uid: string;
  station_id: string;
  evse_id: number;
  emi3_id: string | null;
  status: string;
  physical_reference: string | null;
  floor_level: string | null;
  connectors: Connector[];
}

/** Where a driver lands when scanning an EVSE's code: the driver portal's EVSE page. */
export function evseUrl(uid: string, origin = window.location.origin): string {
  return `${origin}/drive/evse/${encodeURIComponent(uid)}`;
}
