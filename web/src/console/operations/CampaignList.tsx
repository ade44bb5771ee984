// Firmware campaigns, newest first, each with its file, state and progress (stations per state);
// an operator starts, pauses, resumes or cancels one from here, and creates one (with its file,
// if need be) from "New campaign". The list follows the stations' firmware reports on the live
// stream, and refreshes itself while a campaign runs.
import { useState } from 'preact/hooks';
import { list } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Link, useFetch } from '../../ui/components';
import { CampaignActions, CampaignProgress, fileText, useWhileRunning } from './campaign';
import { CampaignStateBadge, Paged, Status, Table, useAction, useLiveReload } from './parts';
import type { Campaign, FirmwareFile } from './types';
import './operations.css';

const LIMIT = 50;

export function CampaignList() {
  const [offset, setOffset] = useState(0);
  const campaigns = useFetch((signal) => list<Campaign>('/firmware/campaigns', { limit: LIMIT, offset }, signal), [offset]);
  const files = useFetch((signal) => list<FirmwareFile>('/firmware/files', { limit: 1000 }, signal), []);
  const action = useAction();
  const writer = can('operator');
  const done = (_: Campaign, message: string) => {
    action.done(message);
    campaigns.reload();
  };
  useLiveReload((e) => e.type === 'firmware.status', campaigns.reload);
  useWhileRunning(!!campaigns.data?.items.some((c) => c.state === 'running'), campaigns.reload);
  return (
    <section class="ops">
      <div class="title-row">
        <h1>{t('firmware.title')}</h1>
        {writer && (
          <Link class="button" to="/firmware-campaigns/new">
            {t('firmware.new')}
          </Link>
        )}
      </div>
      <p class="muted">{t('firmware.intro')}</p>
      <Status notice={action.notice} failure={action.failure} state={campaigns} />
      <Paged page={campaigns.data} onOffset={setOffset} label={t('firmware.pages')} empty={t('firmware.none')}>
        {(page) => (
          <Table
            caption={t('firmware.title')}
            columns={[
              t('firmware.campaign'),
              t('firmware.file'),
              t('firmware.state'),
              t('firmware.progress'),
              t('firmware.started'),
              t('firmware.finished'),
            ]}
            actions={writer}
          >
            {page.items.map((c) => (
              <tr key={c.id} data-campaign={c.id}>
                <th scope="row">
                  <Link to={`/firmware-campaigns/${c.id}`}>{c.name}</Link>
                </th>
                <td>{fileText(files.data?.items, c.file_id)}</td>
                <td>
                  <CampaignStateBadge state={c.state} />
                  {c.pause_reason && <div class="muted">{c.pause_reason}</div>}
                </td>
                <td>
                  <CampaignProgress campaign={c} />
                </td>
                <td>{dateTime(c.started_at)}</td>
                <td>{dateTime(c.finished_at)}</td>
                {writer && (
                  <td class="actions">
                    <CampaignActions campaign={c} onDone={done} onError={action.fail} />
                  </td>
                )}
              </tr>
            ))}
          </Table>
        )}
      </Paged>
    </section>
  );
}
