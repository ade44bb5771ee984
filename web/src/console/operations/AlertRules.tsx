// The alert rules (docs/operations.md "Alerts"): what each watches, how severe, where, its quiet
// hours and channels. An operator enables or disables a rule (PUT of the rule as it is, with
// `enabled` changed); rules are created and edited through the API.
import { useState } from 'preact/hooks';
import { list, put } from '../../lib/api';
import { can } from '../../lib/auth';
import { number } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Link, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import { SeverityBadge } from './parts';
import type { AlertRule } from './types';
import './operations.css';

const LIMIT = 50;

/** What a rule watches, in words: "Station offline for 15 min", "Voltage outside 207 to 253". */
export function conditionText(r: AlertRule): string {
  switch (r.condition) {
    case 'station_offline':
      return r.minutes > 0 ? t('alerts.cond.station_offline', { minutes: r.minutes }) : t('alerts.cond.station_offline.now');
    case 'error_code':
      return t('alerts.cond.error_code', { code: r.error_code ?? '–' });
    case 'failed_authorizations':
    case 'failed_starts':
      return t(`alerts.cond.${r.condition}`, { count: r.count });
    case 'reading_out_of_range': {
      const measurand = r.measurand || 'Energy.Active.Import.Register';
      if (r.min !== null && r.max !== null) return t('alerts.cond.range', { measurand, min: number(r.min, 3), max: number(r.max, 3) });
      if (r.min !== null) return t('alerts.cond.below', { measurand, min: number(r.min, 3) });
      return t('alerts.cond.above', { measurand, max: number(r.max, 3) });
    }
    default:
      return t(`alerts.cond.${r.condition}`);
  }
}

function scopeText(r: AlertRule) {
  if (r.scope === 'station' && r.scope_id) return <Link to={`/stations/${encodeURIComponent(r.scope_id)}`}>{t('alerts.scope.station', { id: r.scope_id })}</Link>;
  if (r.scope === 'location' && r.scope_id) return <Link to={`/locations/${encodeURIComponent(r.scope_id)}`}>{t('alerts.scope.location', { id: r.scope_id })}</Link>;
  return t('alerts.scope.all');
}

export function AlertRules() {
  const [offset, setOffset] = useState(0);
  const rules = useFetch((signal) => list<AlertRule>('/alert-rules', { limit: LIMIT, offset }, signal), [offset]);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const writer = can('operator');

  const toggle = async (r: AlertRule) => {
    setFailure(null);
    setNotice(null);
    // The rule as it is (what the API answered, less what it sets itself), enabled flipped.
    const { id, created_at: _created, updated_at: _updated, ...rule } = r;
    void _created;
    void _updated;
    try {
      await put<AlertRule>(`/alert-rules/${id}`, { ...rule, enabled: !r.enabled });
      setNotice(t(r.enabled ? 'alerts.rules.disabledNow' : 'alerts.rules.enabledNow', { name: r.name }));
      rules.reload();
    } catch (e) {
      setFailure(e);
    }
  };

  return (
    <section class="ops">
      <p class="crumbs">
        <Link to="/alerts">{t('alerts.back')}</Link>
      </p>
      <h1>{t('alerts.rules.title')}</h1>
      <p class="muted">{t('alerts.rules.intro')}</p>
      <div aria-live="polite">
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
      </div>
      {failure !== null && <ErrorBox error={failure} />}
      {rules.error !== undefined && <ErrorBox error={rules.error} onRetry={rules.reload} />}
      {rules.loading && !rules.data && <Loading />}
      {rules.data && rules.data.total === 0 && <p class="muted">{t('alerts.rules.none')}</p>}
      {rules.data && rules.data.total > 0 && (
        <>
          <table>
            <caption class="sr-only">{t('alerts.rules.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('alerts.rules.name')}</th>
                <th scope="col">{t('alerts.rules.condition')}</th>
                <th scope="col">{t('alerts.severity')}</th>
                <th scope="col">{t('alerts.rules.scope')}</th>
                <th scope="col">{t('alerts.rules.quietHours')}</th>
                <th scope="col">{t('alerts.rules.channels')}</th>
                <th scope="col">{t('alerts.state')}</th>
                {writer && <th scope="col">{t('ops.actions')}</th>}
              </tr>
            </thead>
            <tbody>
              {rules.data.items.map((r) => (
                <tr key={r.id}>
                  <th scope="row">{r.name}</th>
                  <td>{conditionText(r)}</td>
                  <td>
                    <SeverityBadge severity={r.severity} />
                  </td>
                  <td>{scopeText(r)}</td>
                  <td>{r.quiet_hours ? t('alerts.rules.quiet', { start: r.quiet_hours.start, end: r.quiet_hours.end }) : t('common.none')}</td>
                  <td>{r.channels.length ? r.channels.map((c) => `#${c}`).join(', ') : t('common.none')}</td>
                  <td>
                    <StatusBadge status={r.enabled ? 'available' : 'offline'} label={r.enabled ? t('alerts.rules.enabled') : t('alerts.rules.disabled')} />
                  </td>
                  {writer && (
                    <td>
                      <button class="secondary" aria-label={t(r.enabled ? 'alerts.rules.disableOne' : 'alerts.rules.enableOne', { name: r.name })} onClick={() => void toggle(r)}>
                        {r.enabled ? t('alerts.rules.disable') : t('alerts.rules.enable')}
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={rules.data} onOffset={setOffset} label={t('alerts.rules.pages')} />
        </>
      )}
    </section>
  );
}
