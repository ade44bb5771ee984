// One maintenance ticket: where and what, its status, priority, assignee and SLA, and its notes,
// oldest first (a status, priority or assignee change is written there too, so the notes are its
// history). An operator changes the status, priority and assignee, and adds notes; a closed
// ticket changes no more (the API answers 409), so it offers no change. Follows `ticket.changed`.
import { useState } from 'preact/hooks';
import { ApiError, get, patch, post } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Loading, useFetch } from '../../ui/components';
import { Crumb, Options, StationRef, Status, TicketStatusBadge, useAction, useLiveReload } from './parts';
import { DueText } from './TicketList';
import { TICKET_PRIORITIES, TICKET_STATUSES, type Ticket, type TicketNote, type TicketWithNotes } from './types';
import './operations.css';

export function TicketPage(props: { params: Record<string, string> }) {
  const id = props.params.id;
  const ticket = useFetch((signal) => get<TicketWithNotes>(`/tickets/${encodeURIComponent(id)}`, undefined, signal), [id]);
  const action = useAction();
  useLiveReload((e) => e.type === 'ticket.changed' && String((e.data as { ticket_id?: unknown }).ticket_id) === id, ticket.reload, 500);
  if (ticket.error !== undefined && !ticket.data) return <ErrorBox error={ticket.error} onRetry={ticket.reload} />;
  if (!ticket.data) return <Loading />;
  const tk = ticket.data;
  const writer = can('operator');
  const done = (message: string) => {
    action.done(message);
    ticket.reload();
  };
  return (
    <section class="ops">
      <Crumb to="/tickets">{t('tickets.back')}</Crumb>
      <div class="title-row">
        <h1>{t('tickets.pageTitle', { id: tk.id, title: tk.title })}</h1>
        <TicketStatusBadge status={tk.status} />
      </div>
      <dl class="facts">
        <dt>{t('tickets.where')}</dt>
        <dd>
          <StationRef station={tk.station_id} evse={tk.evse_id} connector={tk.connector_id} />
        </dd>
        <dt>{t('tickets.priority')}</dt>
        <dd>{t(`tickets.priority.${tk.priority}`)}</dd>
        <dt>{t('tickets.assignee')}</dt>
        <dd>{tk.assignee ?? t('tickets.unassigned')}</dd>
        <dt>{t('tickets.source')}</dt>
        <dd>{t('tickets.openedBy', { source: t(`tickets.source.${tk.source}`), by: tk.created_by })}</dd>
        <dt>{t('tickets.opened')}</dt>
        <dd>{dateTime(tk.created_at)}</dd>
        <dt>{t('tickets.due')}</dt>
        <dd>
          <DueText ticket={tk} />
        </dd>
        {tk.resolved_at && (
          <>
            <dt>{t('tickets.resolvedAt')}</dt>
            <dd>{dateTime(tk.resolved_at)}</dd>
          </>
        )}
        <dt>{t('tickets.updated')}</dt>
        <dd>{dateTime(tk.updated_at)}</dd>
      </dl>
      {/* The ticket is there by now: a reload that fails says so, and nothing says "Loading". */}
      <Status notice={action.notice} state={ticket} />
      {writer && tk.status !== 'closed' && <ChangeForm key={tk.updated_at} ticket={tk} onChanged={() => done(t('tickets.changed'))} />}
      {tk.status === 'closed' && <p class="muted">{t('tickets.closedNote')}</p>}
      <h2 id="notes-title">{t('tickets.notes')}</h2>
      <Notes notes={tk.notes} />
      {writer && <NoteForm id={tk.id} onAdded={() => done(t('tickets.noteAdded'))} />}
    </section>
  );
}

function ChangeForm(props: { ticket: Ticket; onChanged: () => void }) {
  const tk = props.ticket;
  const [status, setStatus] = useState(tk.status);
  const [priority, setPriority] = useState(tk.priority);
  const [assignee, setAssignee] = useState(tk.assignee ?? '');
  const action = useAction();
  const error = action.failure;
  const submit = (e: Event) => {
    e.preventDefault();
    const body: Record<string, unknown> = {};
    if (status !== tk.status) body.status = status;
    if (priority !== tk.priority) body.priority = priority;
    const who = assignee.trim();
    if (who !== (tk.assignee ?? '')) body.assignee = who || null;
    if (!Object.keys(body).length) {
      action.fail(new Error(t('tickets.nothingChanged')));
      return;
    }
    void action.run(async () => {
      await patch<Ticket>(`/tickets/${tk.id}`, body);
      props.onChanged();
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="change-ticket-title">
      <h2 id="change-ticket-title">{t('tickets.change')}</h2>
      <div class="row">
        <label>
          {t('tickets.status')}
          <select name="status" value={status} onChange={(e) => setStatus(e.currentTarget.value as Ticket['status'])}>
            <Options values={TICKET_STATUSES} text={(s) => (s === 'closed' ? t('tickets.status.closedFinal') : t(`tickets.status.${s}`))} />
          </select>
        </label>
        <label>
          {t('tickets.priority')}
          <select name="priority" value={priority} onChange={(e) => setPriority(e.currentTarget.value as Ticket['priority'])}>
            <Options values={TICKET_PRIORITIES} text={(p) => t(`tickets.priority.${p}`)} />
          </select>
        </label>
        <label>
          {t('tickets.assignee')}
          <input
            name="assignee"
            maxLength={100}
            value={assignee}
            placeholder={t('tickets.unassigned')}
            aria-invalid={error instanceof ApiError && error.field === 'assignee' ? true : undefined}
            onInput={(e) => setAssignee(e.currentTarget.value)}
          />
        </label>
        <button type="submit" disabled={action.busy}>
          {t('tickets.save')}
        </button>
      </div>
      <p class="hint">{t('tickets.flowHint')}</p>
      <Status failure={error} />
    </form>
  );
}

function Notes(props: { notes: TicketNote[] }) {
  if (!props.notes.length) return <p class="muted">{t('tickets.noNotes')}</p>;
  return (
    <ol class="notes" aria-labelledby="notes-title">
      {props.notes.map((n) => (
        <li key={n.id}>
          <span class="meta">
            {n.author} · <time dateTime={n.at}>{dateTime(n.at)}</time>
          </span>
          <p>{n.text}</p>
        </li>
      ))}
    </ol>
  );
}

function NoteForm(props: { id: number; onAdded: () => void }) {
  const [text, setText] = useState('');
  const action = useAction();
  const submit = (e: Event) => {
    e.preventDefault();
    void action.run(async () => {
      await post<TicketNote>(`/tickets/${props.id}/notes`, { text });
      setText('');
      props.onAdded();
    });
  };
  return (
    <form class="card" onSubmit={submit} aria-labelledby="add-note-title">
      <h2 id="add-note-title">{t('tickets.addNote')}</h2>
      <label class="full">
        {t('tickets.note')}
        <textarea name="text" rows={3} required maxLength={4000} value={text} onInput={(e) => setText(e.currentTarget.value)} />
      </label>
      <div>
        <button type="submit" disabled={action.busy}>
          {t('tickets.addNoteButton')}
        </button>
      </div>
      <Status failure={action.failure} />
    </form>
  );
}
