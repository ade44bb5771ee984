// List filters kept in the page's URL (?station=CS-1&from=2026-05-01&offset=50), so a reload, a
// link or the way back from a session shows the same selection. The URL keeps the form's own
// values; apiQuery() turns them into the API's: a day picked in a date field is that day's
// start in the viewer's zone as an RFC 3339 instant, and `to` is exclusive (the next day's start).
import type { Query } from '../../lib/api';
import { navigate, useLocation } from '../../lib/router';

export function dayStart(value: string, plusDays = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + plusDays).toISOString();
}

export interface UrlFilters {
  /** The form's values by field name (only those set). */
  values: Record<string, string>;
  offset: number;
  /** Changes with the URL's filters: the form's key, so it shows them again after going back. */
  key: string;
  /** The API's query for these values (dates as instants), with limit and offset. */
  apiQuery: (limit: number) => Query;
  /** The form's fields into the URL, from the first page. */
  submit: (form: HTMLFormElement) => void;
  setOffset: (offset: number) => void;
}

export function useUrlFilters(fields: string[], dates: { from?: string; to?: string } = {}): UrlFilters {
  const { path, query } = useLocation();
  const values: Record<string, string> = {};
  for (const f of fields) {
    const v = query.get(f);
    if (v) values[f] = v;
  }
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const go = (next: Record<string, string>, nextOffset: number) => {
    const params = new URLSearchParams(next);
    if (nextOffset) params.set('offset', String(nextOffset));
    const qs = params.toString();
    navigate(path + (qs ? `?${qs}` : ''));
  };
  return {
    values,
    offset,
    key: new URLSearchParams(values).toString(),
    apiQuery: (limit) => {
      const q: Query = { limit, offset };
      for (const [k, v] of Object.entries(values)) q[k] = k === dates.from ? dayStart(v) : k === dates.to ? dayStart(v, 1) : v;
      return q;
    },
    submit: (form) => {
      const next: Record<string, string> = {};
      for (const [k, v] of new FormData(form).entries()) {
        const s = String(v).trim();
        if (s && fields.includes(k)) next[k] = s;
      }
      go(next, 0);
    },
    setOffset: (o) => go(values, o),
  };
}
