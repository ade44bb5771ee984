// Firmware campaigns, newest first, each with its file, state and progress (stations per state);
// an operator starts, pauses, resumes or cancels one from here. The list follows the stations'
// firmware reports on the live stream, and refreshes itself while a campaign runs.
import { useState } from 'preact/hooks';
import { list } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, Pager, useFetch } from '../../ui/components';
import { CampaignActions, CampaignProgress, fileText, useWhileRunning } from './campaign';
import { CampaignStateBadge, useLiveReload } from './parts';
import type { Campaign, FirmwareFile } from './types';
import './operations.css';

const LIMIT = 50;

export function CampaignList() {
  const [offset, setOffset] = useState(0);
  const campaigns = useFetch((signal) => list<Campaign>('/firmware/campaigns', { limit: LIMIT, offset }, signal), [offset]);
  const files = useFetch((signal) => list<FirmwareFile>('/firmware/files', { limit: 1000 }, signal), []);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const writer = can('operator');
  const done = (_: Campaign, message: string) => {
    setFailure(null);
    setNotice(message);
    campaigns.reload();
  };
  const failed = (e: unknown) => {
    setNotice(null);
    setFailure(e);
  };
  useLiveReload((e) => e.type === 'firmware.status', campaigns.reload);
  useWhileRunning(!!campaigns.data?.items.some((c) => c.state === 'running'), campaigns.reload);
  return (
    <section class="ops">
      <h1>{t('firmware.title')}</h1>
      <p class="muted">{t('firmware.intro')}</p>
      <div aria-live="polite">
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
      </div>
      {failure !== null && <ErrorBox error={failure} />}
      {campaigns.error !== undefined && <ErrorBox error={campaigns.error} onRetry={campaigns.reload} />}
      {campaigns.loading && !campaigns.data && <Loading />}
      {campaigns.data && campaigns.data.total === 0 && <p class="muted">{t('firmware.none')}</p>}
      {campaigns.data && campaigns.data.total > 0 && (
        <>
          <table>
            <caption class="sr-only">{t('firmware.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('firmware.campaign')}</th>
                <th scope="col">{t('firmware.file')}</th>
                <th scope="col">{t('firmware.state')}</th>
                <th scope="col">{t('firmware.progress')}</th>
                <th scope="col">{t('firmware.started')}</th>
                <th scope="col">{t('firmware.finished')}</th>
                {writer && <th scope="col">{t('ops.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {campaigns.data.items.map((c) => (
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
                      <CampaignActions campaign={c} onDone={done} onError={failed} />
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={campaigns.data} onOffset={setOffset} label={t('firmware.pages')} />
        </>
      )}
    </section>
  );
}
