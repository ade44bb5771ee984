// One firmware campaign: what it rolls out and to which stations (its filter), how (canary,
// concurrency, failure threshold), its state and progress, the actions its state allows an
// operator, and each station in update order with how far it got.
import { useState } from 'preact/hooks';
import { get, list } from '../../lib/api';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, useFetch } from '../../ui/components';
import { CampaignActions, CampaignProgress, fileText, useWhileRunning } from './campaign';
import { CampaignStateBadge, Crumb, Paged, Status, Table, useAction, useLiveReload } from './parts';
import type { Campaign, CampaignStation, FirmwareFile } from './types';
import './operations.css';

const LIMIT = 100;
const stationClass: Record<CampaignStation['state'], string> = {
  pending: 'offline',
  sent: 'charging',
  updating: 'charging',
  succeeded: 'available',
  failed: 'faulted',
  skipped: 'offline',
};

export function CampaignPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const [offset, setOffset] = useState(0);
  const campaign = useFetch((signal) => get<Campaign>(`/firmware/campaigns/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const stations = useFetch((signal) => list<CampaignStation>(`/firmware/campaigns/${encodeURIComponent(id)}/stations`, { limit: LIMIT, offset }, signal), [id, offset]);
  const files = useFetch((signal) => list<FirmwareFile>('/firmware/files', { limit: 1000 }, signal), []);
  const action = useAction();
  const reload = () => {
    campaign.reload();
    stations.reload();
  };
  useLiveReload((e) => e.type === 'firmware.status', reload);
  useWhileRunning(campaign.data?.state === 'running', reload);
  if (campaign.error !== undefined && !campaign.data) return <ErrorBox error={campaign.error} onRetry={campaign.reload} />;
  if (!campaign.data) return <Loading />;
  const c = campaign.data;
  const f = c.filter ?? {};
  const any = t('firmware.any');
  return (
    <section class="ops">
      <Crumb to="/firmware-campaigns">{t('firmware.back')}</Crumb>
      <div class="title-row">
        <h1>{t('firmware.campaignTitle', { name: c.name })}</h1>
        <CampaignStateBadge state={c.state} />
      </div>
      {c.pause_reason && <p class="flag">{c.pause_reason}</p>}
      <CampaignProgress campaign={c} />
      <CampaignActions
        campaign={c}
        onDone={(next, message) => {
          action.done(message);
          campaign.setData(next);
          stations.reload();
        }}
        onError={action.fail}
      />
      <Status notice={action.notice} failure={action.failure} />
      <dl class="facts">
        <dt>{t('firmware.file')}</dt>
        <dd>{fileText(files.data?.items, c.file_id)}</dd>
        <dt>{t('firmware.filter')}</dt>
        <dd>
          {t('firmware.filterText', {
            vendor: f.vendor ?? any,
            model: f.model ?? any,
            version: f.version ?? any,
            location: f.location_id ?? any,
          })}
          {f.stations?.length ? <div>{t('firmware.filterStations', { list: f.stations.join(', ') })}</div> : null}
        </dd>
        <dt>{t('firmware.rollout')}</dt>
        <dd>{t('firmware.rolloutText', { canary: c.canary_percent, concurrent: c.max_concurrent, threshold: c.failure_threshold_percent })}</dd>
        <dt>{t('firmware.createdBy')}</dt>
        <dd>{t('firmware.createdText', { by: c.created_by, at: dateTime(c.created_at) })}</dd>
        <dt>{t('firmware.started')}</dt>
        <dd>{dateTime(c.started_at)}</dd>
        <dt>{t('firmware.finished')}</dt>
        <dd>{dateTime(c.finished_at)}</dd>
      </dl>
      <h2 id="campaign-stations">{t('firmware.stations')}</h2>
      <Status state={stations} />
      <Paged page={stations.data} onOffset={setOffset} label={t('firmware.stationPages')} empty={c.state === 'draft' ? t('firmware.noStationsYet') : t('firmware.noStations')}>
        {(page) => (
          <Table
            labelledBy="campaign-stations"
            columns={[
              { num: t('firmware.position') },
              t('firmware.station'),
              t('firmware.state'),
              t('firmware.reported'),
              t('firmware.detail'),
              t('firmware.sent'),
              t('firmware.updated'),
            ]}
          >
            {page.items.map((s) => (
              <tr key={s.station_id} data-station={s.station_id}>
                <td class="num">{s.position + 1}</td>
                <th scope="row">
                  <Link to={`/stations/${encodeURIComponent(s.station_id)}`}>{s.station_id}</Link>
                  {s.canary && <span class="muted"> {t('firmware.canary')}</span>}
                </th>
                <td>
                  <span class={`badge ${stationClass[s.state]}`}>{t(`firmware.stationState.${s.state}`)}</span>
                </td>
                <td>{s.firmware_status ?? '–'}</td>
                <td>{s.detail ?? '–'}</td>
                <td>{dateTime(s.sent_at)}</td>
                <td>{dateTime(s.updated_at)}</td>
              </tr>
            ))}
          </Table>
        )}
      </Paged>
    </section>
  );
}
