// The configuration tab: a 2.x station's device model as Gridlane stores it (filled by
// GetBaseReport / GetVariables), or a 1.6 station's keys from its latest GetConfiguration.
// Operators can ask the station for a fresh copy from here.
import { useState } from 'preact/hooks';
import { list, post } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Loading, useFetch } from '../../ui/components';
import type { CommandRecord, StationDetail } from './model';

interface ConfigKey {
  key: string;
  value?: string;
  readonly: boolean;
}

export function ConfigPanel(props: { station: StationDetail; v2: boolean; tick: number; onReload: () => void }) {
  const [filter, setFilter] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const refresh = async () => {
    setBusy(true);
    setError(null);
    try {
      await post(`/stations/${encodeURIComponent(props.station.id)}/commands`, props.v2 ? { kind: 'get_base_report', params: { report_base: 'FullInventory' } } : { kind: 'get_configuration', params: {} }, { wait: 30 });
      props.onReload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const needle = filter.trim().toLowerCase();
  return (
    <div>
      <div class="row">
        <label>
          {t('stations.configFilter')}
          <input type="search" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        {can('operator') && (
          <button class="secondary" disabled={busy || !props.station.connected} onClick={() => void refresh()}>
            {props.v2 ? t('stations.readDeviceModel') : t('stations.readConfiguration')}
          </button>
        )}
      </div>
      {error !== null && <ErrorBox error={error} />}
      {props.v2 ? <DeviceModel station={props.station} needle={needle} /> : <Configuration stationId={props.station.id} needle={needle} tick={props.tick} />}
    </div>
  );
}

function DeviceModel(props: { station: StationDetail; needle: string }) {
  const rows = props.station.device_model.filter((v) => !props.needle || `${v.component} ${v.variable} ${v.value ?? ''}`.toLowerCase().includes(props.needle));
  if (!props.station.device_model.length) return <p class="muted">{t('stations.noDeviceModel')}</p>;
  return (
    <table>
      <caption class="sr-only">{t('stations.deviceModel')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('stations.component')}</th>
          <th scope="col">{t('stations.variable')}</th>
          <th scope="col">{t('stations.attribute')}</th>
          <th scope="col">{t('stations.value')}</th>
          <th scope="col">{t('stations.mutability')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((v, i) => (
          <tr key={i}>
            <td>
              {v.component}
              {v.component_instance ? `/${v.component_instance}` : ''}
              {v.evse_id !== null ? ` (EVSE ${v.evse_id}${v.connector_id !== null ? `/${v.connector_id}` : ''})` : ''}
            </td>
            <td>
              {v.variable}
              {v.variable_instance ? `/${v.variable_instance}` : ''}
            </td>
            <td>{v.attribute_type}</td>
            <td>{v.value ?? '–'}</td>
            <td>{v.mutability ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Configuration(props: { stationId: string; needle: string; tick: number }) {
  // The newest answered GetConfiguration among the station's recent commands.
  const latest = useFetch(
    async (signal) => {
      const page = await list<CommandRecord>(`/stations/${encodeURIComponent(props.stationId)}/commands`, { limit: 100 }, signal);
      return page.items.find((c) => c.kind === 'get_configuration' && c.status === 'accepted') ?? null;
    },
    [props.stationId, props.tick],
  );
  if (latest.error) return <ErrorBox error={latest.error} onRetry={latest.reload} />;
  if (latest.data === undefined) return <Loading />;
  if (latest.data === null) return <p class="muted">{t('stations.noConfiguration')}</p>;
  const response = latest.data.response as { configurationKey?: ConfigKey[]; unknownKey?: string[] } | null;
  const keys = (response?.configurationKey ?? []).filter((k) => !props.needle || `${k.key} ${k.value ?? ''}`.toLowerCase().includes(props.needle));
  return (
    <>
      <p class="muted">{t('stations.configurationAsOf', { when: dateTime(latest.data.finished_at ?? latest.data.created_at) })}</p>
      <table>
        <caption class="sr-only">{t('stations.configuration')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('stations.key')}</th>
            <th scope="col">{t('stations.value')}</th>
            <th scope="col">{t('stations.mutability')}</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.key}>
              <td>{k.key}</td>
              <td>{k.value ?? '–'}</td>
              <td>{k.readonly ? t('stations.readOnly') : t('stations.readWrite')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
