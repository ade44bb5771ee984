// Maintenance tickets, newest first, filtered by status, station, location, source and overdue
// (kept in the URL), paged by the API. An overdue ticket (open past its SLA due time) is marked
// in words and with a bar. The list follows `ticket.changed` on the live stream. Operators open a
// ticket by hand from here.
import { list } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime, relative } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Link, Pager, useFetch } from '../../ui/components';
import { useUrlFilters } from '../sessions/filters';
import { FilterSelect } from '../sessions/FilterSelect';
import { LocationSelect } from '../sessions/LocationSelect';
import { ChoiceFilter, FilterForm, StationRef, Status, Table, TicketStatusBadge, useLiveReload } from './parts';
import { TICKET_SOURCES, TICKET_STATUSES, type Ticket } from './types';
import './operations.css';

const LIMIT = 50;

export function TicketList() {
  const filters = useUrlFilters(['status', 'station', 'location', 'source', 'overdue']);
  const key = JSON.stringify(filters.apiQuery(LIMIT));
  const page = useFetch((signal) => list<Ticket>('/tickets', filters.apiQuery(LIMIT), signal), [key]);
  useLiveReload((e) => e.type === 'ticket.changed', page.reload);
  const v = filters.values;
  const filtered = Object.keys(v).length > 0;
  return (
    <section class="ops">
      <div class="title-row">
        <h1>{t('tickets.title')}</h1>
        {can('operator') && (
          <Link class="button" to="/tickets/new">
            {t('tickets.new')}
          </Link>
        )}
      </div>
      <FilterForm filters={filters} label={t('tickets.filters')}>
        <ChoiceFilter name="status" label={t('tickets.status')} initial={v.status} values={TICKET_STATUSES} text={(s) => t(`tickets.status.${s}`)} />
        <label>
          {t('tickets.station')}
          <input name="station" size={14} defaultValue={v.station} />
        </label>
        <LocationSelect name="location" label={t('tickets.location')} value={v.location} />
        <ChoiceFilter name="source" label={t('tickets.source')} initial={v.source} values={TICKET_SOURCES} text={(s) => t(`tickets.source.${s}`)} />
        <FilterSelect name="overdue" label={t('tickets.due')} initial={v.overdue}>
          <option value="">{t('common.all')}</option>
          <option value="true">{t('tickets.onlyOverdue')}</option>
        </FilterSelect>
        <button type="submit">{t('common.filter')}</button>
      </FilterForm>
      <Status state={page} />
      {page.data && (
        <>
          <Table
            caption={t('tickets.title')}
            columns={[
              t('tickets.ticket'),
              t('tickets.where'),
              t('tickets.status'),
              t('tickets.priority'),
              t('tickets.assignee'),
              t('tickets.source'),
              t('tickets.due'),
              t('tickets.updated'),
            ]}
          >
            {page.data.items.map((tk) => (
              <tr key={tk.id} data-ticket={tk.id} class={tk.overdue ? 'overdue' : undefined}>
                <th scope="row">
                  <Link to={`/tickets/${tk.id}`}>{t('tickets.link', { id: tk.id, title: tk.title })}</Link>
                </th>
                <td>
                  <StationRef station={tk.station_id} evse={tk.evse_id} connector={tk.connector_id} />
                </td>
                <td>
                  <TicketStatusBadge status={tk.status} />
                </td>
                <td>{t(`tickets.priority.${tk.priority}`)}</td>
                <td>{tk.assignee ?? <span class="muted">{t('tickets.unassigned')}</span>}</td>
                <td>{t(`tickets.source.${tk.source}`)}</td>
                <td>
                  <DueText ticket={tk} />
                </td>
                <td>{relative(tk.updated_at)}</td>
              </tr>
            ))}
          </Table>
          {page.data.items.length === 0 && <p class="muted">{filtered ? t('tickets.noneMatch') : t('tickets.none')}</p>}
          <Pager page={page.data} onOffset={filters.setOffset} label={t('tickets.pages')} />
        </>
      )}
    </section>
  );
}

/** The SLA due time, and "Overdue" in words while the ticket is open past it. */
export function DueText(props: { ticket: Ticket }) {
  const tk = props.ticket;
  return (
    <>
      <time dateTime={tk.due_at}>{dateTime(tk.due_at)}</time>
      {tk.overdue && (
        <>
          {' '}
          <span class="flag">{t('tickets.overdue')}</span>
        </>
      )}
    </>
  );
}
