// A tariff in plain words for a driver: "€0.39 per kWh, €0.50 to start, €0.10 per minute after
// 2 hours". Pure: a function of the OCPI 2.2.1 tariff and the words (a catalogue lookup and a
// money formatter passed in), so it is unit-tested outside the browser (tests/e2e/drive-price.test.js).
//
// Prices are shown as the driver pays them: incl. VAT where the component names its rate,
// computed exactly in decimal (BigInt at 10^-12, rounded half up to 4 decimals), never in floats.
// OCPI picks, per dimension, the FIRST element whose restrictions hold; the words follow that:
// an element after one limited only by duration (or energy) applies once that limit is passed
// ("after 4 hours"), and an unrestricted element after a restricted one applies "otherwise".

export type Dimension = 'ENERGY' | 'FLAT' | 'TIME' | 'PARKING_TIME';

export interface PriceComponent {
  type: Dimension | string;
  price: number | string;
  vat?: number | string | null;
  step_size?: number;
}

export interface Restrictions {
  start_time?: string;
  end_time?: string;
  start_date?: string;
  end_date?: string;
  min_kwh?: number;
  max_kwh?: number;
  min_current?: number;
  max_current?: number;
  min_power?: number;
  max_power?: number;
  min_duration?: number;
  max_duration?: number;
  day_of_week?: string[];
  reservation?: string;
}

export interface TariffElement {
  price_components: PriceComponent[];
  restrictions?: Restrictions | null;
}

export interface Price {
  excl_vat: number | string;
  incl_vat?: number | string | null;
}

export interface Tariff {
  currency: string;
  elements: TariffElement[];
  min_price?: Price | null;
  max_price?: Price | null;
}

/** What the words come from: the catalogue (`t`) and a money formatter for a decimal string. */
export interface Words {
  t: (key: string, params?: Record<string, string | number>) => string;
  money: (amount: string, currency: string) => string;
}

export interface PlainPrice {
  /** One phrase per priced component, in the order ENERGY, FLAT, TIME, PARKING_TIME. */
  phrases: string[];
  /** The phrases joined into one sentence (or "Free" / "No price published"). */
  text: string;
  /** Whether the amounts include VAT (every priced component named its rate). */
  inclVat: boolean;
}

const ORDER: Dimension[] = ['ENERGY', 'FLAT', 'TIME', 'PARKING_TIME'];
const SCALE = 12;

/** A JSON number or decimal string as an integer at 10^-SCALE; null when it is no decimal. */
export function toScaled(value: number | string): bigint | null {
  const s = typeof value === 'number' ? (Number.isFinite(value) ? numberText(value) : '') : value.trim();
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const frac = (m[3] ?? '').slice(0, SCALE).padEnd(SCALE, '0');
  const v = BigInt(m[2]) * 10n ** BigInt(SCALE) + BigInt(frac);
  return m[1] ? -v : v;
}

function numberText(n: number): string {
  // JSON numbers of a tariff carry at most 6 decimals; toFixed avoids "1e-7" forms.
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(SCALE).replace(/\.?0+$/, '') : s;
}

/** An integer at 10^-SCALE rounded half up (away from zero) to `digits` decimals, as text. */
export function scaledText(v: bigint, digits = 4): string {
  const neg = v < 0n;
  let a = neg ? -v : v;
  const unit = 10n ** BigInt(SCALE - digits);
  a = (a + unit / 2n) / unit;
  const base = 10n ** BigInt(digits);
  const whole = a / base;
  const frac = (a % base).toString().padStart(digits, '0');
  return `${neg && a !== 0n ? '-' : ''}${whole}${digits ? '.' + frac : ''}`;
}

/** price x (1 + vat/100), exact; the price alone when vat is absent. */
function withVat(price: bigint, vat: bigint | null): bigint {
  if (vat === null) return price;
  const hundred = 100n * 10n ** BigInt(SCALE);
  const n = price * (hundred + vat);
  // round half up at SCALE
  return (n + (n >= 0n ? hundred / 2n : -hundred / 2n)) / hundred;
}

function durationWords(seconds: number, w: Words): string {
  if (seconds % 3600 === 0) {
    const h = seconds / 3600;
    return h === 1 ? w.t('drive.price.hour1') : w.t('drive.price.hours', { n: h });
  }
  if (seconds % 60 === 0) {
    const m = seconds / 60;
    return m === 1 ? w.t('drive.price.minute1') : w.t('drive.price.minutes', { n: m });
  }
  return w.t('drive.price.seconds', { n: seconds });
}

function trimNumber(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** Which restrictions an element has besides the given keys. */
function onlyHas(r: Restrictions | null | undefined, keys: (keyof Restrictions)[]): boolean {
  if (!r) return false;
  const present = (Object.keys(r) as (keyof Restrictions)[]).filter((k) => r[k] !== undefined && r[k] !== null);
  return present.length > 0 && present.every((k) => keys.includes(k));
}

function hasAny(r: Restrictions | null | undefined): boolean {
  return !!r && Object.values(r).some((v) => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0));
}

/** The conditions of one element as words ("after 2 hours", "from 22:00 to 06:00", ...). */
function conditions(r: Restrictions, implied: { afterS?: number; afterKwh?: number; otherwise: boolean }, w: Words): string[] {
  const out: string[] = [];
  if (r.reservation) out.push(w.t('drive.price.reservation'));
  const after = r.min_duration ?? implied.afterS;
  if (after !== undefined && after > 0) out.push(w.t('drive.price.after', { d: durationWords(after, w) }));
  if (r.max_duration !== undefined) out.push(w.t('drive.price.firstFor', { d: durationWords(r.max_duration, w) }));
  const afterKwh = r.min_kwh ?? implied.afterKwh;
  if (afterKwh !== undefined && afterKwh > 0) out.push(w.t('drive.price.afterKwh', { n: trimNumber(afterKwh) }));
  if (r.max_kwh !== undefined) out.push(w.t('drive.price.upToKwh', { n: trimNumber(r.max_kwh) }));
  if (r.start_time && r.end_time) out.push(w.t('drive.price.between', { from: r.start_time, to: r.end_time }));
  else if (r.start_time) out.push(w.t('drive.price.fromTime', { from: r.start_time }));
  else if (r.end_time) out.push(w.t('drive.price.untilTime', { to: r.end_time }));
  if (r.day_of_week && r.day_of_week.length > 0 && r.day_of_week.length < 7)
    out.push(w.t('drive.price.on', { days: r.day_of_week.map((d) => w.t(`drive.day.${d}`)).join(', ') }));
  if (r.min_power !== undefined) out.push(w.t('drive.price.minPower', { n: trimNumber(r.min_power) }));
  if (r.max_power !== undefined) out.push(w.t('drive.price.maxPower', { n: trimNumber(r.max_power) }));
  if (r.min_current !== undefined) out.push(w.t('drive.price.minCurrent', { n: trimNumber(r.min_current) }));
  if (r.max_current !== undefined) out.push(w.t('drive.price.maxCurrent', { n: trimNumber(r.max_current) }));
  if (r.start_date) out.push(w.t('drive.price.fromDate', { date: r.start_date.slice(0, 10) }));
  if (r.end_date) out.push(w.t('drive.price.untilDate', { date: r.end_date.slice(0, 10) }));
  if (out.length === 0 && implied.otherwise) out.push(w.t('drive.price.otherwise'));
  return out;
}

/** The amount phrase of one component: "€0.39 per kWh", "€0.10 per minute", ... */
function amountPhrase(type: Dimension, perUnit: bigint, currency: string, w: Words): string {
  const m = (v: bigint) => w.money(scaledText(v), currency);
  switch (type) {
    case 'ENERGY':
      return w.t('drive.price.perKwh', { price: m(perUnit) });
    case 'FLAT':
      return w.t('drive.price.flat', { price: m(perUnit) });
    case 'TIME':
    case 'PARKING_TIME': {
      // OCPI prices time per hour; per minute reads better where it is a whole cent amount.
      const perMinute = perUnit / 60n;
      const cent = 10n ** BigInt(SCALE - 2);
      const exact = perMinute * 60n === perUnit && perMinute % cent === 0n;
      const key = type === 'TIME' ? 'drive.price.time' : 'drive.price.parking';
      return exact ? w.t(`${key}.perMinute`, { price: m(perMinute) }) : w.t(`${key}.perHour`, { price: m(perUnit) });
    }
  }
}

/** The tariff in plain words; `null` (no tariff published) says so. */
export function describeTariff(tariff: Tariff | null | undefined, w: Words): PlainPrice {
  if (!tariff || !Array.isArray(tariff.elements)) return { phrases: [], text: w.t('drive.price.unknown'), inclVat: false };
  const byDim = new Map<Dimension, string[]>();
  let allVat = true;
  let priced = 0;
  for (const dim of ORDER) {
    const phrases: string[] = [];
    // What earlier elements of this dimension leave to the later ones.
    let afterS: number | undefined;
    let afterKwh: number | undefined;
    let restrictedBefore = false;
    for (const el of tariff.elements) {
      const comp = (el.price_components || []).find((c) => c.type === dim);
      if (!comp) continue;
      const r = el.restrictions ?? {};
      const price = toScaled(comp.price);
      if (price === null) continue;
      const vat = comp.vat === undefined || comp.vat === null ? null : toScaled(comp.vat);
      if (price !== 0n) {
        priced++;
        if (vat === null) allVat = false;
        const when = conditions(r, { afterS, afterKwh, otherwise: restrictedBefore && !hasAny(r) }, w);
        const phrase = amountPhrase(dim, withVat(price, vat), tariff.currency, w);
        phrases.push(when.length ? `${phrase} ${when.join(' ')}` : phrase);
      }
      if (onlyHas(r, ['max_duration'])) afterS = Math.max(afterS ?? 0, r.max_duration!);
      else if (onlyHas(r, ['max_kwh'])) afterKwh = Math.max(afterKwh ?? 0, r.max_kwh!);
      else if (hasAny(r)) restrictedBefore = true;
      // An unrestricted element ends the dimension: OCPI never looks past it.
      if (!hasAny(r)) break;
    }
    byDim.set(dim, phrases);
  }
  const phrases = ORDER.flatMap((d) => byDim.get(d) ?? []);
  const bound = (p: Price | null | undefined, key: string) => {
    if (!p) return;
    const v = toScaled(p.incl_vat ?? p.excl_vat);
    if (v === null || v === 0n) return;
    phrases.push(w.t(key, { price: w.money(scaledText(v), tariff.currency) }));
  };
  bound(tariff.min_price, 'drive.price.minPrice');
  bound(tariff.max_price, 'drive.price.maxPrice');
  if (priced === 0) return { phrases: [], text: w.t('drive.price.free'), inclVat: false };
  return { phrases, text: phrases.join(', '), inclVat: allVat };
}
