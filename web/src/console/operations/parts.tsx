// Pieces the operations pages share: badges whose words say the state (colour is only a second
// cue), a station with its EVSE and connector as a link, exact minutes and percentages, a list
// that is fetched again when the live stream says something it shows has changed, an operator's
// action with what it said or why it failed, and the blocks around a page's lists and forms.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, events, type LiveEvent, type Page } from '../../lib/api';
import { locale, t } from '../../lib/i18n';
import type { UrlFilters } from '../sessions/filters';
import { FilterSelect } from '../sessions/FilterSelect';
import { ErrorBox, Link, Loading, Pager, StatusBadge } from '../../ui/components';
import type { AlertState, CampaignState, Severity, TicketStatus } from './types';

/**
 * Calls `reload` when an event of the stream matches, at most once every `ms` (a busy network
 * sends many): the list follows without being fetched per event.
 */
export function useLiveReload(matches: (e: LiveEvent) => boolean, reload: () => void, ms = 1000): void {
  const latest = useRef({ matches, reload });
  latest.current = { matches, reload };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = events({
      onEvent: (e) => {
        if (timer || !latest.current.matches(e)) return;
        timer = setTimeout(() => {
          timer = null;
          latest.current.reload();
        }, ms);
      },
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, [ms]);
}

const severityClass: Record<Severity, string> = { critical: 'faulted', warning: 'warning', info: 'charging' };
export function SeverityBadge(props: { severity: Severity }) {
  return <StatusBadge status={severityClass[props.severity]} label={t(`ops.severity.${props.severity}`)} />;
}

const alertStateClass: Record<AlertState, string> = { open: 'faulted', acknowledged: 'warning', resolved: 'available' };
export function AlertStateBadge(props: { state: AlertState }) {
  return <StatusBadge status={alertStateClass[props.state]} label={t(`alerts.state.${props.state}`)} />;
}

const ticketClass: Record<TicketStatus, string> = { open: 'warning', in_progress: 'charging', on_hold: 'occupied', resolved: 'available', closed: 'offline' };
export function TicketStatusBadge(props: { status: TicketStatus }) {
  return <StatusBadge status={ticketClass[props.status]} label={t(`tickets.status.${props.status}`)} />;
}

const campaignClass: Record<CampaignState, string> = { draft: 'offline', running: 'charging', paused: 'warning', completed: 'available', cancelled: 'offline' };
export function CampaignStateBadge(props: { state: CampaignState }) {
  return <StatusBadge status={campaignClass[props.state]} label={t(`firmware.state.${props.state}`)} />;
}

/** "EVSE 1, connector 2" / "EVSE 1" / "" for the station as a whole. */
export function portText(evse: number | null | undefined, connector?: number | null): string {
  if (evse === null || evse === undefined) return '';
  if (connector === null || connector === undefined) return t('ops.evse', { evse });
  return t('ops.evseConnector', { evse, connector });
}

/** A station as a link to its page, with the EVSE and connector after it. */
export function StationRef(props: { station: string; evse?: number | null; connector?: number | null }) {
  const port = portText(props.evse, props.connector);
  return (
    <>
      <Link to={`/stations/${encodeURIComponent(props.station)}`}>{props.station}</Link>
      {port && <span class="port"> {port}</span>}
    </>
  );
}

/** Exact decimal minutes from the API, in the viewer's locale ("1,520.5 min"). */
export function minutesText(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  return t('ops.minutes', { n: new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(n) });
}

/** A percentage the API rounded down to two decimals, shown with both ("97.03 %"). */
export function percentText(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '–';
  const n = Number(value);
  if (!Number.isFinite(n)) return value;
  return new Intl.NumberFormat(locale(), { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n / 100);
}

/** An operator's action on a page: what is under way, what the last one said, why it failed. */
export interface Action {
  /** The key run() was given for the action under way, or null. */
  running: number | string | null;
  busy: boolean;
  notice: string | null;
  failure: unknown;
  /** Says `message` (and forgets the last failure). */
  done: (message: string) => void;
  /** Shows `failure` (and forgets the last notice). */
  fail: (failure: unknown) => void;
  /**
   * Forgets the last notice and failure, then runs `work` under `key`: what it returns is said,
   * what it throws is shown. Never rejects.
   */
  run: (work: () => Promise<string | void>, key?: number | string) => Promise<void>;
}

export function useAction(): Action {
  const [running, setRunning] = useState<number | string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const done = (message: string) => {
    setFailure(null);
    setNotice(message);
  };
  const fail = (e: unknown) => {
    setNotice(null);
    setFailure(e);
  };
  const run = async (work: () => Promise<string | void>, key: number | string = 'action') => {
    setFailure(null);
    setNotice(null);
    setRunning(key);
    try {
      const message = await work();
      if (message) setNotice(message);
    } catch (e) {
      setFailure(e);
    } finally {
      setRunning(null);
    }
  };
  return { running, busy: running !== null, notice, failure, done, fail, run };
}

/** A request as useFetch() keeps it. */
interface Fetched {
  data?: unknown;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * What a page has to say above its content, each part only where it is given: the notice of the
 * last action in a polite live region (there while empty too, so that a new one is announced),
 * the action's failure, and a request's failure (with a retry) or, until it first answers,
 * "Loading".
 */
export function Status(props: { notice?: string | null; failure?: unknown; state?: Fetched }) {
  const { notice, failure, state } = props;
  return (
    <>
      {notice !== undefined && (
        <div aria-live="polite">
          {notice && (
            <p class="notice" role="status">
              {notice}
            </p>
          )}
        </div>
      )}
      {failure !== undefined && failure !== null && <ErrorBox error={failure} />}
      {state && state.error !== undefined && <ErrorBox error={state.error} onRetry={state.reload} />}
      {state && state.loading && !state.data && <Loading />}
    </>
  );
}

/**
 * A paged list once it has come (nothing before): `empty` in words while it has nothing, else
 * what `children` makes of the page (its table) and the pager.
 */
export function Paged<T>(props: { page: Page<T> | undefined; onOffset: (offset: number) => void; label: string; empty: string; children: (page: Page<T>) => ComponentChildren }) {
  const { page } = props;
  if (!page) return null;
  if (page.total === 0) return <p class="muted">{props.empty}</p>;
  return (
    <>
      {props.children(page)}
      <Pager page={page} onOffset={props.onOffset} label={props.label} />
    </>
  );
}

/** A column of a table: its header's words, or those of a column of numbers (aligned as such). */
export type Column = string | { num: string };

/**
 * A table named by a caption for screen readers or by a heading's id, with a header row of
 * `columns` (and "Actions" where `actions`), and `children` as its rows.
 */
export function Table(props: { caption?: string; labelledBy?: string; class?: string; columns: Column[]; actions?: boolean; children: ComponentChildren }) {
  return (
    <table class={props.class} aria-labelledby={props.labelledBy}>
      {props.caption !== undefined && <caption class="sr-only">{props.caption}</caption>}
      <thead>
        <tr>
          {props.columns.map((c, i) =>
            typeof c === 'string' ? (
              <th key={i} scope="col">
                {c}
              </th>
            ) : (
              <th key={i} scope="col" class="num">
                {c.num}
              </th>
            ),
          )}
          {props.actions && <th scope="col">{t('ops.actions')}</th>}
        </tr>
      </thead>
      <tbody>{props.children}</tbody>
    </table>
  );
}

/** The way back to the page above ("← Alerts"). */
export function Crumb(props: { to: string; children: ComponentChildren }) {
  return (
    <p class="crumbs">
      <Link to={props.to}>{props.children}</Link>
    </p>
  );
}

/** The filters of a list, kept in the URL: the form starts again at the URL's values when it changes. */
export function FilterForm(props: { filters: UrlFilters; label: string; children: ComponentChildren }) {
  const { filters } = props;
  return (
    <form
      key={filters.key}
      class="row filters"
      aria-label={props.label}
      onSubmit={(e) => {
        e.preventDefault();
        filters.submit(e.currentTarget as HTMLFormElement);
      }}
    >
      {props.children}
    </form>
  );
}

/** An option for each value, named by `text`; `selected` marks one (as an uncontrolled select's first choice). */
export function Options<T extends string>(props: { values: readonly T[]; text: (value: T) => string; selected?: T }) {
  const { selected } = props;
  return (
    <>
      {props.values.map((v) => (
        <option key={v} value={v} selected={selected === undefined ? undefined : v === selected}>
          {props.text(v)}
        </option>
      ))}
    </>
  );
}

/** A filter with a choice of `values` or all of them (""). */
export function ChoiceFilter<T extends string>(props: { name: string; label: string; initial?: string; values: readonly T[]; text: (value: T) => string }) {
  return (
    <FilterSelect name={props.name} label={props.label} initial={props.initial}>
      <option value="">{t('common.all')}</option>
      <Options values={props.values} text={props.text} />
    </FilterSelect>
  );
}

/** What ties a form's field to the API's complaint about it (and to its hint). */
export interface FieldAria {
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/** The API's complaint about the field `name` ("filter.vendor" for a member of an object), or null. */
export function fieldError(failure: unknown, name: string): string | null {
  return failure instanceof ApiError && failure.field === name ? failure.message : null;
}

/** The id of the text saying the API's complaint about a field of the form `form`. */
export function fieldErrorId(form: string, name: string): string {
  return `${form}-${name.replace(/\./g, '-')}-error`;
}

/**
 * A labelled field of a form that the API checks: its complaint about the field (by its name) is
 * said under it and tied to it, as is the field's hint (`hint`: the id of the text that says what
 * it means). `form` keeps the ids of several forms on one page apart.
 */
export function Field(props: { form: string; name: string; label: string; failure: unknown; hint?: string; class?: string; children: (aria: FieldAria) => ComponentChildren }) {
  const message = fieldError(props.failure, props.name);
  const id = fieldErrorId(props.form, props.name);
  const described = [props.hint, message ? id : undefined].filter(Boolean).join(' ');
  return (
    <label class={props.class}>
      {props.label}
      {props.children({ 'aria-invalid': message ? true : undefined, 'aria-describedby': described || undefined })}
      {message ? (
        <span id={id} class="error hint">
          {message}
        </span>
      ) : null}
    </label>
  );
}

/** A form's submission kept on the page: its values, and each text value by name, trimmed ('' when not given). */
export function submitted(e: Event): { form: HTMLFormElement; data: FormData; text: (name: string) => string } {
  e.preventDefault();
  const form = e.currentTarget as HTMLFormElement;
  const data = new FormData(form);
  return { form, data, text: (name) => String(data.get(name) ?? '').trim() };
}
