// Numbers, money and times for people: in the viewer's locale (i18n.locale()) and, for times,
// in the location's IANA time zone when one is given (else the browser's). Money arrives from
// the API as decimal strings (or minor units) and is only formatted here, never summed.
import { locale } from './i18n';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) {
    f = make();
    cache.set(key, f);
  }
  return f;
}

/** A decimal string such as "12.3450" with a currency: "€12.35" / "12,35 €". */
export function money(amount: string | number | null | undefined, currency: string, digits?: number): string {
  if (amount === null || amount === undefined || amount === '') return '–';
  const value = typeof amount === 'number' ? amount : Number(amount);
  if (!Number.isFinite(value)) return String(amount);
  const key = `m|${locale()}|${currency}|${digits ?? ''}`;
  return memo(key, () =>
    new Intl.NumberFormat(locale(), {
      style: 'currency',
      currency,
      ...(digits !== undefined ? { minimumFractionDigits: digits, maximumFractionDigits: digits } : {}),
    }),
  ).format(value);
}

/** Integer minor units (cents) of a currency with `minorDigits` decimals. */
export function moneyMinor(minor: number, currency: string, minorDigits = 2): string {
  return money(minor / 10 ** minorDigits, currency);
}

export function number(value: number | null | undefined, maxDigits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return memo(`n|${locale()}|${maxDigits}`, () => new Intl.NumberFormat(locale(), { maximumFractionDigits: maxDigits })).format(value);
}

/** Watt-hours as kWh: "12.4 kWh". */
export function energyWh(wh: number | null | undefined, digits = 2): string {
  if (wh === null || wh === undefined) return '–';
  return `${number(wh / 1000, digits)} kWh`;
}

/** Watts as kW: "7.4 kW". */
export function powerW(w: number | null | undefined, digits = 1): string {
  if (w === null || w === undefined) return '–';
  return `${number(w / 1000, digits)} kW`;
}

/** Seconds as "1 h 05 min" / "4 min 12 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m) return `${m} min ${String(r).padStart(2, '0')} s`;
  return `${r} s`;
}

/** An RFC 3339 instant as a date and time in `timeZone` (IANA) or the browser's zone. */
export function dateTime(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return memo(`dt|${locale()}|${timeZone ?? ''}`, () =>
    new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) }),
  ).format(d);
}

export function time(iso: string | null | undefined, timeZone?: string): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return memo(`t|${locale()}|${timeZone ?? ''}`, () =>
    new Intl.DateTimeFormat(locale(), { timeStyle: 'medium', ...(timeZone ? { timeZone } : {}) }),
  ).format(d);
}

const relativeFormats = new Map<string, Intl.RelativeTimeFormat>();

/** "3 min ago" in the viewer's language. */
export function relative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const diff = (Date.parse(iso) - now) / 1000;
  if (!Number.isFinite(diff)) return iso;
  let rtf = relativeFormats.get(locale());
  if (!rtf) {
    rtf = new Intl.RelativeTimeFormat(locale(), { numeric: 'auto' });
    relativeFormats.set(locale(), rtf);
  }
  const abs = Math.abs(diff);
  if (abs < 60) return rtf.format(Math.round(diff), 'second');
  if (abs < 3600) return rtf.format(Math.round(diff / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(diff / 3600), 'hour');
  return rtf.format(Math.round(diff / 86400), 'day');
}
