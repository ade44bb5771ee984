// One station: its connection and identity, then tabs: live (EVSEs and connectors, the running
// sessions' power and energy, the status timeline), remote commands, configuration / device
// model, the recent OCPP frames (operators), and the events and anomalies it has. Everything
// live comes from the event stream for this station.
import { useEffect, useRef, useState } from 'preact/hooks';
import { events, get, type LiveEvent } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime, relative } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading } from '../../ui/components';
import { CommandsPanel } from './Commands';
import { ConfigPanel } from './Config';
import { EventsPanel, FramesPanel, ReportsPanel } from './Traffic';
import { LivePanel } from './Live';
import { applyEvent, isV2, type StationDetail } from './model';
import { ConnectionBadge } from './parts';
import { served } from './served';
import './stations.css';

type Tab = 'live' | 'commands' | 'config' | 'frames' | 'events' | 'reports';

export function StationPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const [station, setStation] = useState<StationDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tab, setTab] = useState<Tab>('live');
  const [lastEvent, setLastEvent] = useState<LiveEvent | null>(null);
  const [tick, setTick] = useState(0);
  const [hasReports, setHasReports] = useState(false);
  const [activeTx, setActiveTx] = useState<number | null>(null);

  const load = () =>
    get<StationDetail>(`/stations/${encodeURIComponent(id)}`).then(
      (s) => {
        setStation(s);
        setError(null);
      },
      setError,
    );
  useEffect(() => {
    setStation(null);
    void load();
    void served('/reports').then(setHasReports);
    return events({
      station: id,
      onEvent: (e) => {
        setStation((s) => (s ? applyEvent(s, e) : s));
        setLastEvent(e);
        if (e.type === 'command.finished') setTick((n) => n + 1);
        if (e.type === 'station.connected') void load(); // a boot may have changed its identity
      },
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  if (error) return <ErrorBox error={error} onRetry={() => void load()} />;
  if (!station) return <Loading />;
  const v2 = isV2(station.protocol);
  const tabs: { id: Tab; label: string; show: boolean }[] = [
    { id: 'live', label: t('stations.tab.live'), show: true },
    { id: 'commands', label: t('stations.tab.commands'), show: true },
    { id: 'config', label: t('stations.tab.config'), show: true },
    { id: 'frames', label: t('stations.tab.frames'), show: can('operator') },
    { id: 'events', label: t('stations.tab.events'), show: true },
    { id: 'reports', label: t('stations.tab.reports'), show: hasReports },
  ];
  const shown = tabs.filter((x) => x.show);
  const current = shown.some((x) => x.id === tab) ? tab : 'live';

  return (
    <section class="station-page">
      <p class="crumbs">
        <Link to="/stations">{t('stations.back')}</Link>
      </p>
      <div class="title-row">
        <h1>{t('stations.stationTitle', { id: station.id })}</h1>
        <ConnectionBadge station={station} />
      </div>
      <dl class="facts inline">
        <dt>{t('stations.protocol')}</dt>
        <dd>{station.protocol ?? '–'}</dd>
        <dt>{t('stations.vendorModel')}</dt>
        <dd>{[station.vendor, station.model].filter(Boolean).join(' ') || '–'}</dd>
        <dt>{t('stations.firmware')}</dt>
        <dd>{station.firmware_version ?? '–'}</dd>
        <dt>{t('stations.serial')}</dt>
        <dd>{station.serial_number ?? '–'}</dd>
        <dt>{t('stations.location')}</dt>
        <dd>{station.site ?? '–'}</dd>
        <dt>{t('stations.registration')}</dt>
        <dd>{t(`stations.registration.${station.registration}`)}</dd>
        <dt>{t('stations.lastBoot')}</dt>
        <dd>{dateTime(station.last_boot_at)}</dd>
        <dt>{t('stations.lastSeen')}</dt>
        <dd>{relative(station.last_seen_at)}</dd>
      </dl>
      <Tabs tabs={shown} current={current} onSelect={setTab} />
      <div role="tabpanel" id={`panel-${current}`} aria-labelledby={`tab-${current}`} tabIndex={0} class="panel">
        {current === 'live' && <LivePanel station={station} lastEvent={lastEvent} onActive={setActiveTx} />}
        {current === 'commands' && <CommandsPanel stationId={station.id} v2={v2} tick={tick} activeTx={activeTx} />}
        {current === 'config' && <ConfigPanel station={station} v2={v2} tick={tick} onReload={() => void load()} />}
        {current === 'frames' && <FramesPanel stationId={station.id} lastEvent={lastEvent} />}
        {current === 'events' && <EventsPanel stationId={station.id} tick={tick} />}
        {current === 'reports' && <ReportsPanel stationId={station.id} />}
      </div>
    </section>
  );
}

function Tabs(props: { tabs: { id: Tab; label: string }[]; current: Tab; onSelect: (t: Tab) => void }) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  const move = (e: KeyboardEvent, i: number) => {
    const n = props.tabs.length;
    const to = e.key === 'ArrowRight' ? (i + 1) % n : e.key === 'ArrowLeft' ? (i - 1 + n) % n : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : -1;
    if (to < 0) return;
    e.preventDefault();
    props.onSelect(props.tabs[to].id);
    refs.current[props.tabs[to].id]?.focus();
  };
  return (
    <div role="tablist" aria-label={t('stations.sections')} class="tabs">
      {props.tabs.map((x, i) => (
        <button
          key={x.id}
          ref={(el) => {
            refs.current[x.id] = el;
          }}
          role="tab"
          id={`tab-${x.id}`}
          aria-selected={x.id === props.current}
          aria-controls={`panel-${x.id}`}
          tabIndex={x.id === props.current ? 0 : -1}
          class="tab"
          onClick={() => props.onSelect(x.id)}
          onKeyDown={(e) => move(e, i)}
        >
          {x.label}
        </button>
      ))}
    </div>
  );
}
