// Opening a ticket by hand (operators; POST /tickets, source "manual"): the station, optionally
// an EVSE and connector, a title, the priority (its SLA sets the due time), an assignee and a
// first note. The alerts list links here with the alert's station, port and summary filled in.
import { useState } from 'preact/hooks';
import { ApiError, post } from '../../lib/api';
import { t } from '../../lib/i18n';
import { navigate, useLocation } from '../../lib/router';
import { ErrorBox, Link } from '../../ui/components';
import { TICKET_PRIORITIES, type TicketWithNotes } from './types';
import './operations.css';

export function TicketNew() {
  const { query } = useLocation();
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = (name: string) => (error instanceof ApiError && error.field === name ? error.message : null);
  const field = (name: string) => {
    const message = fieldError(name);
    return {
      'aria-invalid': message ? true : undefined,
      'aria-describedby': message ? `ticket-${name}-error` : undefined,
    };
  };
  const errorText = (name: string) => {
    const message = fieldError(name);
    return message ? (
      <span id={`ticket-${name}-error`} class="error hint">
        {message}
      </span>
    ) : null;
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const body: Record<string, unknown> = { station_id: text('station_id'), title: text('title'), priority: text('priority') || 'normal' };
    if (text('evse_id')) body.evse_id = Number(text('evse_id'));
    if (text('connector_id')) body.connector_id = Number(text('connector_id'));
    if (text('assignee')) body.assignee = text('assignee');
    if (text('note')) body.note = text('note');
    setBusy(true);
    setError(null);
    try {
      const created = await post<TicketWithNotes>('/tickets', body);
      navigate(`/tickets/${created.id}`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="ops">
      <p class="crumbs">
        <Link to="/tickets">{t('tickets.back')}</Link>
      </p>
      <h1>{t('tickets.new')}</h1>
      <form class="card" onSubmit={submit} aria-labelledby="new-ticket-title">
        <h2 id="new-ticket-title" class="sr-only">
          {t('tickets.new')}
        </h2>
        <div class="row">
          <label>
            {t('tickets.station')}
            <input name="station_id" required maxLength={48} defaultValue={query.get('station') ?? ''} {...field('station_id')} />
            {errorText('station_id')}
          </label>
          <label>
            {t('tickets.evseOptional')}
            <input name="evse_id" type="number" min={0} max={1000} size={5} defaultValue={query.get('evse') ?? ''} {...field('evse_id')} />
            {errorText('evse_id')}
          </label>
          <label>
            {t('tickets.connectorOptional')}
            <input name="connector_id" type="number" min={0} max={1000} size={5} defaultValue={query.get('connector') ?? ''} {...field('connector_id')} />
            {errorText('connector_id')}
          </label>
        </div>
        <div class="row">
          <label class="full">
            {t('tickets.titleField')}
            <input name="title" required maxLength={200} size={60} defaultValue={query.get('title') ?? ''} {...field('title')} />
            {errorText('title')}
          </label>
          <label>
            {t('tickets.priority')}
            <select name="priority">
              {TICKET_PRIORITIES.map((p) => (
                <option key={p} value={p} selected={p === 'normal'}>
                  {t(`tickets.priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('tickets.assigneeOptional')}
            <input name="assignee" maxLength={100} {...field('assignee')} />
            {errorText('assignee')}
          </label>
        </div>
        <div class="row">
          <label class="full">
            {t('tickets.firstNote')}
            <textarea name="note" rows={3} maxLength={4000} {...field('note')} />
            {errorText('note')}
          </label>
        </div>
        <p class="hint">{t('tickets.slaHint')}</p>
        <button type="submit" disabled={busy}>
          {t('tickets.openButton')}
        </button>
        {error !== null && !(error instanceof ApiError && error.field) && <ErrorBox error={error} />}
      </form>
    </section>
  );
}
