// A firmware campaign's progress (stations per state, as a bar and in words) and the actions its
// state allows an operator (docs/operations.md "Firmware"): start a draft, pause a running one,
// resume a paused one, cancel any of those after a second click that says what it does.
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../../lib/api';
import { can } from '../../lib/auth';
import { t } from '../../lib/i18n';
import { CAMPAIGN_COUNTS, type Campaign, type CampaignState, type CampaignStationState, type FirmwareFile } from './types';

export function CampaignProgress(props: { campaign: Campaign }) {
  if (props.campaign.state === 'draft') return <span class="counts muted">{t('firmware.draftProgress')}</span>;
  const p = props.campaign.progress;
  const total = p.total ?? CAMPAIGN_COUNTS.reduce((n, k) => n + (p[k] ?? 0), 0);
  const part = (k: CampaignStationState) => (total ? `${((p[k] ?? 0) / total) * 100}%` : '0%');
  const others = CAMPAIGN_COUNTS.filter((k) => k !== 'succeeded' && (p[k] ?? 0) > 0).map((k) => t(`firmware.count.${k}`, { n: p[k] ?? 0 }));
  return (
    <div class="campaign-progress">
      <div class="progress" aria-hidden="true">
        {(['succeeded', 'failed', 'updating', 'sent', 'skipped'] as const).map((k) => (
          <span key={k} class={k} style={{ width: part(k) }} />
        ))}
      </div>
      <span class="counts">
        {t('firmware.succeededOf', { n: p.succeeded ?? 0, total })}
        {others.length > 0 && ` · ${others.join(' · ')}`}
      </span>
    </div>
  );
}

const ACTIONS: Record<CampaignState, ('start' | 'pause' | 'resume')[]> = { draft: ['start'], running: ['pause'], paused: ['resume'], completed: [], cancelled: [] };
const CANCELLABLE: CampaignState[] = ['draft', 'running', 'paused'];

/** The buttons of a campaign's state (operators only); `onDone` gets the campaign as it is now. */
export function CampaignActions(props: { campaign: Campaign; onDone: (c: Campaign, message: string) => void; onError: (e: unknown) => void }) {
  const c = props.campaign;
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => setConfirming(false), [c.state]);
  // The button asked for a second click is gone: the keyboard goes on at the confirmation.
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);
  if (!can('operator')) return null;
  const act = async (action: 'start' | 'pause' | 'resume' | 'cancel') => {
    setBusy(true);
    try {
      const next = await post<Campaign>(`/firmware/campaigns/${c.id}/${action}`);
      props.onDone(next, t(`firmware.done.${action}`, { name: c.name }));
    } catch (e) {
      props.onError(e);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };
  return (
    <span class="row confirm">
      {ACTIONS[c.state].map((a) => (
        <button key={a} class="secondary" disabled={busy} aria-label={t(`firmware.${a}One`, { name: c.name })} onClick={() => void act(a)}>
          {t(`firmware.${a}`)}
        </button>
      ))}
      {CANCELLABLE.includes(c.state) &&
        (confirming ? (
          <>
            <span>{t('firmware.cancelConfirm')}</span>
            <button ref={confirmButton} class="danger" disabled={busy} aria-label={t('firmware.cancelNowOne', { name: c.name })} onClick={() => void act('cancel')}>
              {t('firmware.cancelNow')}
            </button>
            <button class="secondary" onClick={() => setConfirming(false)}>
              {t('firmware.keep')}
            </button>
          </>
        ) : (
          <button class="secondary" aria-label={t('firmware.cancelOne', { name: c.name })} onClick={() => setConfirming(true)}>
            {t('firmware.cancel')}
          </button>
        ))}
    </span>
  );
}

export function fileText(files: FirmwareFile[] | undefined, id: number): string {
  const f = files?.find((x) => x.id === id);
  return f ? t('firmware.fileOf', { name: f.file_name, vendor: f.vendor, version: f.version }) : t('firmware.fileNumber', { id });
}

/** Fetched again every few seconds while a campaign moves (a station's report is an event, a tick is not). */
export function useWhileRunning(running: boolean, reload: () => void, ms = 5000): void {
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, ms);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [running, ms]);
}
