// The one way the pages talk to the server: JSON over /api/v1 with a bearer credential (a file's
// raw bytes where the API takes them as the body). Errors arrive as application/problem+json and
// become ApiError (status, title, detail, field).

export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  field?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  constructor(status: number, problem: Problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
  get field(): string | undefined {
    return this.problem.field;
  }
}

/** A page of a list: every list of the API answers this shape. */
export interface Page<T> {
  items: T[];
  limit: number;
  offset: number;
  next_offset: number | null;
  total: number;
}

export type Query = Record<string, string | number | boolean | undefined | null>;

type TokenSource = () => string | null;
let tokenSource: TokenSource = () => null;
let onUnauthorized: () => void = () => {};

/** Where the bearer token comes from (auth.ts for the console, the driver's session for /drive). */
export function configureApi(source: TokenSource, unauthorized: () => void): void {
  tokenSource = source;
  onUnauthorized = unauthorized;
}

export const API_BASE = '/api/v1';

export function url(path: string, query?: Query): string {
  const params = new URLSearchParams();
  if (query)
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return API_BASE + path + (qs ? `?${qs}` : '');
}

export interface RequestOptions {
  query?: Query;
  /** Sent as JSON; a Blob (a chosen file) is sent as it is, as application/octet-stream. */
  body?: unknown;
  /** A token other than the signed-in one (a driver session's capability, say). */
  token?: string | null;
  signal?: AbortSignal;
}

async function parse(res: Response): Promise<unknown> {
  const type = res.headers.get('content-type') || '';
  if (res.status === 204) return undefined;
  if (type.includes('json')) return res.json();
  return res.text();
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const token = options.token !== undefined ? options.token : tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  let body: BodyInit | undefined;
  if (options.body instanceof Blob) {
    headers['Content-Type'] = 'application/octet-stream';
    body = options.body;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(url(path, options.query), { method, headers, body, signal: options.signal });
  const data = await parse(res);
  if (!res.ok) {
    const problem: Problem =
      typeof data === 'object' && data !== null ? (data as Problem) : { status: res.status, title: String(data || res.statusText) };
    if (res.status === 401 && options.token === undefined) onUnauthorized();
    throw new ApiError(res.status, problem);
  }
  return data as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown, query?: Query) => request<T>('POST', path, { body, query });
export const put = <T>(path: string, body?: unknown) => request<T>('PUT', path, { body });
export const patch = <T>(path: string, body?: unknown) => request<T>('PATCH', path, { body });
export const del = <T>(path: string) => request<T>('DELETE', path);
/** A file's bytes as the body of a POST, what describes them in the query (a firmware upload). */
export const upload = <T>(path: string, query: Query, body: Blob) => request<T>('POST', path, { body, query });

/** One page of a list resource. */
export function list<T>(path: string, query: Query = {}, signal?: AbortSignal): Promise<Page<T>> {
  return get<Page<T>>(path, query, signal);
}

/**
 * A file the API serves (a CSV export) fetched with the bearer header (a plain link cannot carry
 * it) and handed to the browser as a download named `filename`.
 */
export async function download(path: string, query: Query, filename: string): Promise<void> {
  const token = tokenSource();
  const res = await fetch(url(path, query), { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const data = await parse(res);
    const problem: Problem = typeof data === 'object' && data !== null ? (data as Problem) : { status: res.status, title: res.statusText };
    if (res.status === 401) onUnauthorized();
    throw new ApiError(res.status, problem);
  }
  const href = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

/** One message of the live stream (docs/api.md "Live events"). */
export interface LiveEvent<D = Record<string, unknown>> {
  type: string;
  station_id?: string;
  at?: string;
  data: D;
}

export interface EventStreamOptions {
  station?: string;
  onEvent: (e: LiveEvent) => void;
  onState?: (state: 'open' | 'reconnecting' | 'closed') => void;
}

/**
 * Follows GET /events (Server-Sent Events) through fetch, so the bearer token travels in a
 * header. Reconnects after a drop with a growing pause (1 s .. 15 s); returns a function that
 * ends it.
 */
export function events(options: EventStreamOptions): () => void {
  const controller = new AbortController();
  let stopped = false;
  let pause = 1000;
  const run = async () => {
    while (!stopped) {
      try {
        const token = tokenSource();
        const res = await fetch(url('/events', { station: options.station }), {
          headers: { Accept: 'text/event-stream', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
          signal: controller.signal,
        });
        if (res.status === 401) {
          onUnauthorized();
          break;
        }
        if (!res.ok || !res.body) throw new Error(`events: HTTP ${res.status}`);
        options.onState?.('open');
        pause = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            dispatch(block, options.onEvent);
          }
        }
      } catch (e) {
        if (stopped) break;
      }
      if (stopped) break;
      options.onState?.('reconnecting');
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, 15000);
    }
    options.onState?.('closed');
  };
  void run();
  return () => {
    stopped = true;
    controller.abort();
  };
}

function dispatch(block: string, onEvent: (e: LiveEvent) => void): void {
  let type = '';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue; // keep-alive comment
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
  }
  if (!data.length) return;
  try {
    const parsed = JSON.parse(data.join('\n')) as LiveEvent;
    if (!parsed.type) parsed.type = type;
    onEvent(parsed);
  } catch {
    /* a malformed message is skipped; the stream goes on */
  }
}
