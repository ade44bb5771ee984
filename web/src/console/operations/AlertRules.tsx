// The alert rules (docs/operations.md "Alerts"): what each watches, how severe, where, its quiet
// hours and channels. An operator enables or disables a rule (PUT of the rule as it is, with
// `enabled` changed) and creates one from "New rule"; rules are edited through the API.
import { useState } from 'preact/hooks';
import { list, put } from '../../lib/api';
import { can } from '../../lib/auth';
import { number } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Link, StatusBadge, useFetch } from '../../ui/components';
import { Crumb, Paged, SeverityBadge, Status, Table, useAction } from './parts';
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
    case 'uptime_below':
      return t('alerts.cond.uptime_below', { min: number(r.min, 3), count: r.count });
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
  const action = useAction();
  const writer = can('operator');

  const toggle = (r: AlertRule) =>
    action.run(async () => {
      // The rule as it is (what the API answered, less what it sets itself), enabled flipped.
      const { id, created_at: _created, updated_at: _updated, ...rule } = r;
      void _created;
      void _updated;
      await put<AlertRule>(`/alert-rules/${id}`, { ...rule, enabled: !r.enabled });
      rules.reload();
      return t(r.enabled ? 'alerts.rules.disabledNow' : 'alerts.rules.enabledNow', { name: r.name });
    });

  return (
    <section class="ops">
      <Crumb to="/alerts">{t('alerts.back')}</Crumb>
      <div class="title-row">
        <h1>{t('alerts.rules.title')}</h1>
        {writer && (
          <Link class="button" to="/alerts/rules/new">
            {t('alerts.rules.new')}
          </Link>
        )}
      </div>
      <p class="muted">{t('alerts.rules.intro')}</p>
      <Status notice={action.notice} failure={action.failure} state={rules} />
      <Paged page={rules.data} onOffset={setOffset} label={t('alerts.rules.pages')} empty={t('alerts.rules.none')}>
        {(page) => (
          <Table
            caption={t('alerts.rules.title')}
            columns={[
              t('alerts.rules.name'),
              t('alerts.rules.condition'),
              t('alerts.severity'),
              t('alerts.rules.scope'),
              t('alerts.rules.quietHours'),
              t('alerts.rules.channels'),
              t('alerts.state'),
            ]}
            actions={writer}
          >
            {page.items.map((r) => (
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
          </Table>
        )}
      </Paged>
    </section>
  );
}
