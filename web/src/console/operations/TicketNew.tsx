// Opening a ticket by hand (operators; POST /tickets, source "manual"): the station, optionally
// an EVSE and connector, a title, the priority (its SLA sets the due time), an assignee and a
// first note. The alerts list links here with the alert's station, port and summary filled in.
import { ApiError, post } from '../../lib/api';
import { t } from '../../lib/i18n';
import { navigate, useLocation } from '../../lib/router';
import { ErrorBox } from '../../ui/components';
import { Crumb, Field, Options, submitted, useAction } from './parts';
import { TICKET_PRIORITIES, type TicketWithNotes } from './types';
import './operations.css';

export function TicketNew() {
  const { query } = useLocation();
  const action = useAction();
  const error = action.failure;

  const submit = (e: Event) => {
    const { text } = submitted(e);
    const body: Record<string, unknown> = { station_id: text('station_id'), title: text('title'), priority: text('priority') || 'normal' };
    if (text('evse_id')) body.evse_id = Number(text('evse_id'));
    if (text('connector_id')) body.connector_id = Number(text('connector_id'));
    if (text('assignee')) body.assignee = text('assignee');
    if (text('note')) body.note = text('note');
    void action.run(async () => {
      const created = await post<TicketWithNotes>('/tickets', body);
      navigate(`/tickets/${created.id}`);
    });
  };

  return (
    <section class="ops">
      <Crumb to="/tickets">{t('tickets.back')}</Crumb>
      <h1>{t('tickets.new')}</h1>
      <form class="card" onSubmit={submit} aria-labelledby="new-ticket-title">
        <h2 id="new-ticket-title" class="sr-only">
          {t('tickets.new')}
        </h2>
        <div class="row">
          <Field form="ticket" name="station_id" label={t('tickets.station')} failure={error}>
            {(aria) => <input name="station_id" required maxLength={48} defaultValue={query.get('station') ?? ''} {...aria} />}
          </Field>
          <Field form="ticket" name="evse_id" label={t('tickets.evseOptional')} failure={error}>
            {(aria) => <input name="evse_id" type="number" min={0} max={1000} size={5} defaultValue={query.get('evse') ?? ''} {...aria} />}
          </Field>
          <Field form="ticket" name="connector_id" label={t('tickets.connectorOptional')} failure={error}>
            {(aria) => <input name="connector_id" type="number" min={0} max={1000} size={5} defaultValue={query.get('connector') ?? ''} {...aria} />}
          </Field>
        </div>
        <div class="row">
          <Field form="ticket" name="title" label={t('tickets.titleField')} failure={error} class="full">
            {(aria) => <input name="title" required maxLength={200} size={60} defaultValue={query.get('title') ?? ''} {...aria} />}
          </Field>
          <label>
            {t('tickets.priority')}
            <select name="priority">
              <Options values={TICKET_PRIORITIES} text={(p) => t(`tickets.priority.${p}`)} selected="normal" />
            </select>
          </label>
          <Field form="ticket" name="assignee" label={t('tickets.assigneeOptional')} failure={error}>
            {(aria) => <input name="assignee" maxLength={100} {...aria} />}
          </Field>
        </div>
        <div class="row">
          <Field form="ticket" name="note" label={t('tickets.firstNote')} failure={error} class="full">
            {(aria) => <textarea name="note" rows={3} maxLength={4000} {...aria} />}
          </Field>
        </div>
        <p class="hint">{t('tickets.slaHint')}</p>
        <button type="submit" disabled={action.busy}>
          {t('tickets.openButton')}
        </button>
        {error !== null && !(error instanceof ApiError && error.field) && <ErrorBox error={error} />}
      </form>
    </section>
  );
}
