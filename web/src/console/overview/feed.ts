// A live event in words for the overview's feed (docs/api.md "Live events").
import type { LiveEvent } from '../../lib/api';
import { t } from '../../lib/i18n';
import { statusLabel } from '../stations/parts';

export function describe(e: LiveEvent): string {
  const d = e.data as Record<string, string | number | boolean | undefined>;
  switch (e.type) {
    case 'station.connected':
      return t('overview.ev.connected', { protocol: String(d.protocol ?? '') });
    case 'station.disconnected':
      return t('overview.ev.disconnected');
    case 'status.changed':
      return t(d.error_code && d.error_code !== 'NoError' ? 'overview.ev.statusError' : 'overview.ev.status', {
        connector: String(d.evse_id || d.connector_id),
        status: statusLabel(String(d.status)),
        error: String(d.error_code ?? ''),
      });
    case 'transaction.started':
      return t('overview.ev.started', { id: String(d.transaction_id) });
    case 'transaction.updated':
      return t('overview.ev.updated', { id: String(d.transaction_id) });
    case 'transaction.ended':
      return t('overview.ev.ended', { id: String(d.transaction_id) });
    case 'command.finished':
      return t('overview.ev.command', { id: String(d.command_id), kind: String(d.kind), status: String(d.status) });
    case 'energy.setpoint':
      return t('overview.ev.setpoint', { location: String(d.location_id), evse: String(d.evse_id), current: String(d.current_a) });
    case 'energy.alert':
      return t('overview.ev.alert', { location: String(d.location_id), detail: String(d.detail ?? d.kind) });
    default:
      return e.type;
  }
}
