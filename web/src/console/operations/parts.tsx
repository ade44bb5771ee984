// Pieces the operations pages share: badges whose words say the state (colour is only a second
// cue), a station with its EVSE and connector as a link, exact minutes and percentages, and a
// list that is fetched again when the live stream says something it shows has changed.
import { useEffect, useRef } from 'preact/hooks';
import { events, type LiveEvent } from '../../lib/api';
import { locale, t } from '../../lib/i18n';
import { Link, StatusBadge } from '../../ui/components';
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
