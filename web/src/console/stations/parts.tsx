// Small pieces the stations pages share: status names through the catalogue, the connection
// badge, a pretty-printed JSON block.
import { t } from '../../lib/i18n';
import type { Station } from './model';

export const STATUSES = ['Available', 'Preparing', 'Charging', 'SuspendedEVSE', 'SuspendedEV', 'Finishing', 'Reserved', 'Occupied', 'Unavailable', 'Faulted'] as const;

/** A connector status in words ("Charging"); an unknown one as sent. */
export function statusLabel(status: string): string {
  const key = `stations.status.${status}`;
  const text = t(key);
  return text === key ? status : text;
}

export function ConnectionBadge(props: { station: Station }) {
  const s = props.station;
  if (!s.enabled) return <span class="badge">{t('stations.disabled')}</span>;
  return s.connected ? <span class="badge online">{t('common.online')}</span> : <span class="badge">{t('common.offline')}</span>;
}

export function Json(props: { value: unknown }) {
  if (props.value === null || props.value === undefined) return <span class="muted">–</span>;
  return <pre class="json">{typeof props.value === 'string' ? props.value : JSON.stringify(props.value, null, 2)}</pre>;
}
