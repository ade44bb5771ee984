// Filter values as the API takes them: a day picked in a date field is that day's start in the
// viewer's zone, as an RFC 3339 instant; `to` is exclusive, so the day after the picked one.
import type { Query } from '../../lib/api';

export function dayStart(value: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString();
}

/** A form's fields as a query: empty fields left out, date fields as instants. */
export function formQuery(form: HTMLFormElement, dates: { from?: string; to?: string } = {}): Query {
  const q: Query = {};
  for (const [k, v] of new FormData(form).entries()) {
    const s = String(v).trim();
    if (!s) continue;
    if (k === dates.from) q[k] = dayStart(s);
    else if (k === dates.to) q[k] = dayStart(s, 1);
    else q[k] = s;
  }
  return q;
}
