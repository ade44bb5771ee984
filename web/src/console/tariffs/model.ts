// The tariff editor's draft: the OCPI 2.2.1 Tariff with every number kept as the text typed
// (so "0.39" stays 0.39 exactly and a half-typed value is not lost), turned back into the
// OCPI object for PUT /tariffs/{id} and POST /tariffs/preview. Fields the editor does not show
// (min_price, energy_mix, validity, ...) are carried through unchanged.

export const DIMENSIONS = ['ENERGY', 'FLAT', 'TIME', 'PARKING_TIME'] as const;
export const DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] as const;
export const TYPES = ['', 'AD_HOC_PAYMENT', 'PROFILE_CHEAP', 'PROFILE_FAST', 'PROFILE_GREEN', 'REGULAR'] as const;

/** Restriction fields edited as text (times, dates, numbers), in the order the form shows them. */
export const RESTRICTION_FIELDS = [
  'start_time',
  'end_time',
  'start_date',
  'end_date',
  'min_kwh',
  'max_kwh',
  'min_power',
  'max_power',
  'min_current',
  'max_current',
  'min_duration',
  'max_duration',
] as const;
export type RestrictionField = (typeof RESTRICTION_FIELDS)[number];
const NUMERIC_RESTRICTIONS = new Set<string>(['min_kwh', 'max_kwh', 'min_power', 'max_power', 'min_current', 'max_current', 'min_duration', 'max_duration']);

export interface ComponentDraft {
  type: string;
  price: string;
  vat: string;
  step_size: string;
}

export interface ElementDraft {
  price_components: ComponentDraft[];
  restrictions: Partial<Record<RestrictionField, string>> & { day_of_week: string[]; reservation: string };
}

export interface TariffDraft {
  id: string;
  country_code: string;
  party_id: string;
  currency: string;
  type: string;
  alt_text: { language: string; text: string }[];
  elements: ElementDraft[];
  /** Everything else of the stored tariff, sent back as it was. */
  rest: Record<string, unknown>;
}

/** An OCPI tariff as JSON (only the fields the editor reads are typed). */
export interface OcpiTariff {
  id?: string;
  country_code: string;
  party_id: string;
  currency: string;
  type?: string;
  tariff_alt_text?: { language: string; text: string }[];
  elements: {
    price_components: { type: string; price: number; vat?: number; step_size: number }[];
    restrictions?: Record<string, unknown>;
  }[];
  last_updated?: string;
  [other: string]: unknown;
}

const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));

export function newComponent(type = 'ENERGY'): ComponentDraft {
  return { type, price: '', vat: '', step_size: '1' };
}

export function newElement(): ElementDraft {
  return { price_components: [newComponent()], restrictions: { day_of_week: [], reservation: '' } };
}

export function emptyDraft(): TariffDraft {
  return { id: '', country_code: '', party_id: '', currency: 'EUR', type: '', alt_text: [], elements: [newElement()], rest: {} };
}

export function toDraft(t: OcpiTariff): TariffDraft {
  const { id, country_code, party_id, currency, type, tariff_alt_text, elements, last_updated, ...rest } = t;
  void last_updated; // set by the server on every PUT
  return {
    id: id ?? '',
    country_code,
    party_id,
    currency,
    type: type ?? '',
    alt_text: (tariff_alt_text ?? []).map((a) => ({ ...a })),
    elements: elements.map((e) => {
      const r = e.restrictions ?? {};
      const restrictions: ElementDraft['restrictions'] = {
        day_of_week: Array.isArray(r.day_of_week) ? (r.day_of_week as string[]).slice() : [],
        reservation: text(r.reservation),
      };
      for (const f of RESTRICTION_FIELDS) if (r[f] !== undefined && r[f] !== null) restrictions[f] = text(r[f]);
      return {
        price_components: e.price_components.map((c) => ({ type: c.type, price: text(c.price), vat: text(c.vat), step_size: text(c.step_size) })),
        restrictions,
      };
    }),
    rest,
  };
}

/**
 * A typed number as JSON: a plain decimal becomes a number (JSON.stringify prints the same
 * digits back for up to 15 significant ones, and the server refuses more than six decimals
 * anyway); anything else is sent as the text, so the server's 422 names the field.
 */
function num(s: string): number | string {
  const v = s.trim();
  return /^-?\d+(\.\d+)?$/.test(v) && Number.isFinite(Number(v)) ? Number(v) : v;
}

export function toTariff(d: TariffDraft): OcpiTariff {
  const out: OcpiTariff = {
    ...d.rest,
    country_code: d.country_code.trim(),
    party_id: d.party_id.trim(),
    currency: d.currency.trim(),
    elements: d.elements.map((e) => {
      const r: Record<string, unknown> = {};
      for (const f of RESTRICTION_FIELDS) {
        const v = e.restrictions[f]?.trim();
        if (v) r[f] = NUMERIC_RESTRICTIONS.has(f) ? num(v) : v;
      }
      if (e.restrictions.day_of_week.length) r.day_of_week = DAYS.filter((day) => e.restrictions.day_of_week.includes(day));
      if (e.restrictions.reservation) r.reservation = e.restrictions.reservation;
      return {
        price_components: e.price_components.map((c) => {
          const pc: Record<string, unknown> = { type: c.type, price: num(c.price || '0'), step_size: num(c.step_size || '1') };
          if (c.vat.trim()) pc.vat = num(c.vat);
          return pc as OcpiTariff['elements'][number]['price_components'][number];
        }),
        ...(Object.keys(r).length ? { restrictions: r } : {}),
      };
    }),
  };
  if (d.id.trim()) out.id = d.id.trim();
  if (d.type) out.type = d.type;
  const alt = d.alt_text.filter((a) => a.text.trim());
  if (alt.length) out.tariff_alt_text = alt.map((a) => ({ language: a.language.trim().toLowerCase(), text: a.text }));
  return out;
}

/** "FLAT 0.50 · ENERGY 0.25 / kWh (2 elements)": a tariff in a line, for the list. */
export function summary(t: OcpiTariff): string {
  const unit: Record<string, string> = { ENERGY: '/kWh', TIME: '/h', PARKING_TIME: '/h parking', FLAT: '' };
  const parts = t.elements.flatMap((e) => e.price_components.map((c) => `${c.type === 'FLAT' ? 'start' : ''}${c.price}${unit[c.type] ?? ''}${e.restrictions ? '*' : ''}`));
  return parts.join(' · ');
}
