// The operations API's shapes (docs/operations.md; src/api/openapi.json): alerts and their
// rules, maintenance tickets, outages and NEVI uptime, firmware campaigns.
import type { Page } from '../../lib/api';

export type Severity = 'info' | 'warning' | 'critical';
export type AlertState = 'open' | 'acknowledged' | 'resolved';

export interface Alert {
  id: number;
  rule_id: number;
  /** A station ("CS-1") or a connector ("CS-1/1/2": station, EVSE, connector). */
  subject: string;
  station: string | null;
  severity: Severity;
  state: AlertState;
  summary: string;
  count: number;
  first_at: string;
  last_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  /** "auto" when the condition cleared. */
  resolved_by: string | null;
}

export const ALERT_CONDITIONS = [
  'station_offline',
  'connector_faulted',
  'error_code',
  'failed_authorizations',
  'failed_starts',
  'firmware_failed',
  'reading_out_of_range',
  'uptime_below',
] as const;
export type AlertCondition = (typeof ALERT_CONDITIONS)[number];

export interface AlertRule {
  id: number;
  name: string;
  condition: AlertCondition;
  severity: Severity;
  scope: 'all' | 'location' | 'station';
  scope_id: string | null;
  minutes: number;
  count: number;
  error_code: string | null;
  measurand: string | null;
  min: number | null;
  max: number | null;
  quiet_hours: { start: string; end: string } | null;
  enabled: boolean;
  channels: number[];
  created_at: string;
  updated_at: string;
}

/** Where a rule's alerts go. A viewer is shown neither the URL nor the recipients. */
export interface AlertChannel {
  id: number;
  name: string;
  kind: 'webhook' | 'email';
  enabled: boolean;
  url?: string | null;
  recipients?: string[];
  created_at: string;
}

export const TICKET_STATUSES = ['open', 'in_progress', 'on_hold', 'resolved', 'closed'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type TicketPriority = (typeof TICKET_PRIORITIES)[number];
export const TICKET_SOURCES = ['manual', 'playbook', 'problem_report', 'inspection', 'alert'] as const;

export interface Ticket {
  id: number;
  station_id: string;
  evse_id: number | null;
  connector_id: number | null;
  status: TicketStatus;
  priority: TicketPriority;
  source: (typeof TICKET_SOURCES)[number];
  title: string;
  assignee: string | null;
  created_by: string;
  report_id: number | null;
  schedule_id: number | null;
  created_at: string;
  updated_at: string;
  due_at: string;
  resolved_at: string | null;
  overdue: boolean;
}

export interface TicketNote {
  id: number;
  author: string;
  text: string;
  at: string;
}

export interface TicketWithNotes extends Ticket {
  notes: TicketNote[];
}

export const EXCLUSION_REASONS = [
  'grid_outage',
  'natural_disaster',
  'vandalism',
  'planned_maintenance',
  'vehicle_fault',
  'outside_operating_hours',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export interface Outage {
  id: number;
  station_id: string;
  evse_id: number;
  cause: 'faulted' | 'unavailable' | 'offline';
  detail: string | null;
  started_at: string;
  ended_at: string | null;
  open: boolean;
  /** Exact decimal; an open outage up to now. */
  duration_minutes: string;
  excluded: boolean;
  exclusion: { reason: ExclusionReason; justification: string; by: string; at: string } | null;
}

/** Minutes as exact decimal strings, the percentage rounded down to two decimals. */
export interface UptimeFigures {
  period_minutes: string;
  outage_minutes: string;
  excluded_minutes: string;
  counted_outage_minutes: string;
  uptime_percent: string;
}

export interface PortUptime extends UptimeFigures {
  station_id: string;
  evse_id: number;
  location_id: string | null;
  /** The IANA zone the period was cut in. */
  zone: string;
  from: string;
  to: string;
}

export interface UptimeAnswer extends Page<PortUptime> {
  month?: string;
  from?: string;
  to?: string;
  summary: UptimeFigures & { ports: number };
}

export const CAMPAIGN_COUNTS = ['succeeded', 'failed', 'updating', 'sent', 'pending', 'skipped'] as const;
export type CampaignStationState = (typeof CAMPAIGN_COUNTS)[number];
export type CampaignState = 'draft' | 'running' | 'paused' | 'completed' | 'cancelled';

export interface Campaign {
  id: number;
  name: string;
  file_id: number;
  filter: { vendor?: string; model?: string; version?: string; location_id?: string; stations?: string[] };
  canary_percent: number;
  max_concurrent: number;
  failure_threshold_percent: number;
  retries: number | null;
  retry_interval_s: number | null;
  state: CampaignState;
  pause_reason: string | null;
  progress: Partial<Record<CampaignStationState, number>> & { total?: number; canary?: number };
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

export interface CampaignStation {
  station_id: string;
  position: number;
  canary: boolean;
  state: CampaignStationState;
  command_id: number | null;
  firmware_status: string | null;
  detail: string | null;
  sent_at: string | null;
  updated_at: string;
}

export interface FirmwareFile {
  id: number;
  file_name: string;
  vendor: string;
  /** Empty: any model of the vendor. */
  models: string[];
  version: string;
  size_bytes: number;
  /** Of the bytes as stored, 64 lower-case hex digits. */
  sha256: string;
  /** Where stations fetch it (no credential needed). */
  url: string;
}
