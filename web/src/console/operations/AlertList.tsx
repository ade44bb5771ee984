// Alerts, the most recently raised first, filtered by state, severity, rule and station (kept in
// the URL), paged by the API. Operators acknowledge an open alert and resolve one that is not
// resolved yet; a viewer reads. The list follows `alert.changed` on the live stream.
import { list, post } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime, relative } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Link, Pager, useFetch } from '../../ui/components';
import { useUrlFilters } from '../sessions/filters';
import { FilterSelect } from '../sessions/FilterSelect';
import { AlertStateBadge, ChoiceFilter, FilterForm, SeverityBadge, StationRef, Status, Table, useAction, useLiveReload } from './parts';
import type { Alert, AlertRule, AlertState, Severity } from './types';
import './operations.css';

const LIMIT = 50;
const STATES: AlertState[] = ['open', 'acknowledged', 'resolved'];
const SEVERITIES: Severity[] = ['critical', 'warning', 'info'];

/** The EVSE and connector an alert's subject names ("CS-1/1/2"), or nothing for a station. */
export function subjectPort(a: Pick<Alert, 'subject' | 'station'>): { evse: number | null; connector: number | null } {
  const station = a.station ?? '';
  const rest = station && a.subject.startsWith(station + '/') ? a.subject.slice(station.length + 1).split('/') : [];
  const n = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : null);
  return { evse: n(rest[0]), connector: n(rest[1]) };
}

export function AlertList() {
  const filters = useUrlFilters(['state', 'severity', 'rule_id', 'station']);
  const key = JSON.stringify(filters.apiQuery(LIMIT));
  const page = useFetch((signal) => list<Alert>('/alerts', filters.apiQuery(LIMIT), signal), [key]);
  const rules = useFetch((signal) => list<AlertRule>('/alert-rules', { limit: 1000 }, signal), []);
  const action = useAction();
  const writer = can('operator');
  useLiveReload((e) => e.type === 'alert.changed', page.reload);
  const v = filters.values;
  const ruleName = (id: number) => rules.data?.items.find((r) => r.id === id)?.name ?? t('alerts.ruleNumber', { id });

  const act = (a: Alert, what: 'acknowledge' | 'resolve') =>
    action.run(async () => {
      await post<Alert>(`/alerts/${a.id}/${what}`);
      page.reload();
      return t(what === 'acknowledge' ? 'alerts.acknowledgedNow' : 'alerts.resolvedNow', { id: a.id });
    }, a.id);

  return (
    <section class="ops">
      <div class="title-row">
        <h1>{t('alerts.title')}</h1>
        <Link to="/alerts/rules">{t('alerts.rulesLink')}</Link>
      </div>
      <FilterForm filters={filters} label={t('alerts.filters')}>
        <ChoiceFilter name="state" label={t('alerts.state')} initial={v.state} values={STATES} text={(s) => t(`alerts.state.${s}`)} />
        <ChoiceFilter name="severity" label={t('alerts.severity')} initial={v.severity} values={SEVERITIES} text={(s) => t(`ops.severity.${s}`)} />
        <FilterSelect key={rules.data ? 'rules' : 'none'} name="rule_id" label={t('alerts.rule')} initial={v.rule_id}>
          <option value="">{t('common.all')}</option>
          {rules.data?.items.map((r) => (
            <option key={r.id} value={String(r.id)}>
              {r.name}
            </option>
          ))}
        </FilterSelect>
        <label>
          {t('alerts.station')}
          <input name="station" size={14} defaultValue={v.station} />
        </label>
        <button type="submit">{t('common.filter')}</button>
      </FilterForm>
      <Status notice={action.notice} failure={action.failure} state={page} />
      {page.data && (
        <>
          <Table
            class="alerts"
            caption={t('alerts.title')}
            columns={[
              t('alerts.severity'),
              t('alerts.alert'),
              t('alerts.rule'),
              t('alerts.where'),
              t('alerts.since'),
              t('alerts.state'),
            ]}
            actions={writer}
          >
            {page.data.items.map((a) => {
              const port = subjectPort(a);
              return (
                <tr key={a.id} data-alert={a.id}>
                  <td>
                    <SeverityBadge severity={a.severity} />
                  </td>
                  <th scope="row">
                    <span class="muted">#{a.id}</span> {a.summary}
                  </th>
                  <td>{ruleName(a.rule_id)}</td>
                  <td>{a.station ? <StationRef station={a.station} evse={port.evse} connector={port.connector} /> : a.subject}</td>
                  <td>
                    <time dateTime={a.first_at}>
                      {dateTime(a.first_at)}
                    </time>
                    <div class="muted">
                      {a.count > 1 ? t('alerts.repeated', { count: a.count, last: relative(a.last_at) }) : relative(a.first_at)}
                    </div>
                  </td>
                  <td>
                    <AlertStateBadge state={a.state} />
                    <StateBy alert={a} />
                  </td>
                  {writer && (
                    <td class="actions">
                      {a.state === 'open' && (
                        <button class="secondary" disabled={action.running === a.id} aria-label={t('alerts.acknowledgeOne', { id: a.id })} onClick={() => void act(a, 'acknowledge')}>
                          {t('alerts.acknowledge')}
                        </button>
                      )}
                      {a.state !== 'resolved' && (
                        <button class="secondary" disabled={action.running === a.id} aria-label={t('alerts.resolveOne', { id: a.id })} onClick={() => void act(a, 'resolve')}>
                          {t('alerts.resolve')}
                        </button>
                      )}
                      {a.station && a.state !== 'resolved' && (
                        <Link
                          class="ticket-link"
                          to={`/tickets/new?${new URLSearchParams({
                            station: a.station,
                            ...(port.evse !== null ? { evse: String(port.evse) } : {}),
                            ...(port.connector !== null ? { connector: String(port.connector) } : {}),
                            title: a.summary.slice(0, 200),
                          }).toString()}`}
                        >
                          {t('alerts.openTicket')}
                        </Link>
                      )}
                    </td>
                  )}
                </tr>
              );
            })}
          </Table>
          {page.data.items.length === 0 && <p class="muted">{v.state || v.severity || v.rule_id || v.station ? t('alerts.noneMatch') : t('alerts.none')}</p>}
          <Pager page={page.data} onOffset={filters.setOffset} label={t('alerts.pages')} />
        </>
      )}
    </section>
  );
}

/** Who acknowledged or resolved it, and when ("resolved by itself" when the condition cleared). */
function StateBy(props: { alert: Alert }) {
  const a = props.alert;
  if (a.state === 'resolved' && a.resolved_at)
    return (
      <div class="muted">
        {a.resolved_by === 'auto' ? t('alerts.resolvedAuto', { at: dateTime(a.resolved_at) }) : t('alerts.by', { who: a.resolved_by ?? '–', at: dateTime(a.resolved_at) })}
      </div>
    );
  if (a.state === 'acknowledged' && a.acknowledged_at) return <div class="muted">{t('alerts.by', { who: a.acknowledged_by ?? '–', at: dateTime(a.acknowledged_at) })}</div>;
  return null;
}
