// What the station said: its recent OCPP frames (operators and admins: frames carry id tags),
// the notifications it sent and the anomalies Gridlane noted, and drivers' problem reports
// (where the server has them).
import { useEffect, useState } from 'preact/hooks';
import { get, list, patch, type LiveEvent } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import { Json } from './parts';

interface Frame {
  at: string;
  direction: 'in' | 'out';
  frame: string;
}

export function FramesPanel(props: { stationId: string; lastEvent: LiveEvent | null }) {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (props.lastEvent) setTick((n) => n + 1);
  }, [props.lastEvent]);
  const frames = useFetch((signal) => get<{ connected: boolean; items: Frame[] }>(`/stations/${encodeURIComponent(props.stationId)}/frames`, undefined, signal), [props.stationId, tick]);
  if (frames.error) return <ErrorBox error={frames.error} onRetry={frames.reload} />;
  if (!frames.data) return <Loading />;
  if (!frames.data.items.length) return <p class="muted">{frames.data.connected ? t('stations.noFrames') : t('stations.noFramesOffline')}</p>;
  return (
    <table class="frames">
      <caption class="sr-only">{t('stations.tab.frames')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('stations.at')}</th>
          <th scope="col">{t('stations.direction')}</th>
          <th scope="col">{t('stations.frame')}</th>
        </tr>
      </thead>
      <tbody>
        {[...frames.data.items].reverse().map((f, i) => (
          <tr key={i}>
            <td>{dateTime(f.at)}</td>
            <td>{f.direction === 'in' ? t('stations.frameIn') : t('stations.frameOut')}</td>
            <td>
              <code class="frame">{f.frame}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface EventsPage {
  messages: { kind: string; payload: unknown; at: string }[];
  anomalies: { kind: string; detail: string; at: string }[];
  limit: number;
  offset: number;
  next_offset: number | null;
  total_messages: number;
  total_anomalies: number;
}

export function EventsPanel(props: { stationId: string; tick: number }) {
  const [offset, setOffset] = useState(0);
  const page = useFetch((signal) => get<EventsPage>(`/stations/${encodeURIComponent(props.stationId)}/events`, { limit: 50, offset }, signal), [props.stationId, offset, props.tick]);
  if (page.error) return <ErrorBox error={page.error} onRetry={page.reload} />;
  if (!page.data) return <Loading />;
  const d = page.data;
  const pager = { items: [...d.messages, ...d.anomalies], limit: d.limit, offset: d.offset, next_offset: d.next_offset, total: Math.max(d.total_messages, d.total_anomalies) };
  return (
    <div>
      <h2>{t('stations.notifications', { count: d.total_messages })}</h2>
      {d.messages.length === 0 ? (
        <p class="muted">{t('stations.noNotifications')}</p>
      ) : (
        <table>
          <caption class="sr-only">{t('stations.notifications', { count: d.total_messages })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stations.at')}</th>
              <th scope="col">{t('stations.kind')}</th>
              <th scope="col">{t('stations.details')}</th>
            </tr>
          </thead>
          <tbody>
            {d.messages.map((m, i) => (
              <tr key={i}>
                <td>{dateTime(m.at)}</td>
                <td>{m.kind}</td>
                <td>
                  <details>
                    <summary>{t('stations.payload')}</summary>
                    <Json value={m.payload} />
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t('stations.anomalies', { count: d.total_anomalies })}</h2>
      {d.anomalies.length === 0 ? (
        <p class="muted">{t('stations.noAnomalies')}</p>
      ) : (
        <table>
          <caption class="sr-only">{t('stations.anomalies', { count: d.total_anomalies })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('stations.at')}</th>
              <th scope="col">{t('stations.kind')}</th>
              <th scope="col">{t('stations.details')}</th>
            </tr>
          </thead>
          <tbody>
            {d.anomalies.map((a, i) => (
              <tr key={i}>
                <td>{dateTime(a.at)}</td>
                <td>{a.kind}</td>
                <td>{a.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={pager} onOffset={setOffset} label={t('stations.eventPages')} />
    </div>
  );
}

interface Report {
  id: number | string;
  evse_uid?: string | null;
  evse_id?: string | number | null;
  category: string;
  text: string;
  status: string;
  created_at?: string;
}

export function ReportsPanel(props: { stationId: string }) {
  const [offset, setOffset] = useState(0);
  const page = useFetch((signal) => list<Report>('/reports', { station: props.stationId, limit: 50, offset }, signal), [props.stationId, offset]);
  if (page.error) return <ErrorBox error={page.error} onRetry={page.reload} />;
  if (!page.data) return <Loading />;
  if (!page.data.items.length) return <p class="muted">{t('stations.noReports')}</p>;
  return (
    <>
      <table>
        <caption class="sr-only">{t('stations.tab.reports')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stations.at')}</th>
            <th scope="col">{t('stations.category')}</th>
            <th scope="col">{t('stations.reportText')}</th>
            <th scope="col">{t('stations.reportEvse')}</th>
            <th scope="col">{t('stations.reportStatus')}</th>
          </tr>
        </thead>
        <tbody>
          {page.data.items.map((r) => (
            <tr key={r.id}>
              <td>{dateTime(r.created_at)}</td>
              <td>{r.category}</td>
              <td>{r.text}</td>
              <td>{r.evse_uid ?? r.evse_id ?? '–'}</td>
              <td>
                <StatusBadge status={r.status === 'open' ? 'faulted' : 'available'} label={t(`stations.report.${r.status}`)} />{' '}
                {r.status === 'open' && can('operator') && (
                  <button class="secondary" onClick={() => void patch(`/reports/${encodeURIComponent(String(r.id))}`, { status: 'resolved' }).then(page.reload, page.reload)}>
                    {t('stations.resolve')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager page={page.data} onOffset={setOffset} label={t('stations.reportPages')} />
    </>
  );
}
