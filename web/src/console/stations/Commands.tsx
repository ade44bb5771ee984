// Remote commands on the station page: a form per kind with its parameters (operators and
// admins only), the outcome of the one just sent, and the station's command history.
import { useMemo, useState } from 'preact/hooks';
import { ApiError, list, request } from '../../lib/api';
import { can } from '../../lib/auth';
import { dateTime } from '../../lib/format';
import { t } from '../../lib/i18n';
import { ErrorBox, Loading, Pager, StatusBadge, useFetch } from '../../ui/components';
import { buildParams, commandsFor, ParamError, type CommandSpec, type ParamSpec } from './commandSpecs';
import { type CommandRecord } from './model';
import { Json } from './parts';

export function commandLabel(kind: string): string {
  const key = `stations.cmd.${kind}`;
  const text = t(key);
  return text === key ? kind : text;
}

function commandStatusClass(status: string): string {
  return status === 'accepted' ? 'available' : status === 'rejected' || status === 'failed' || status === 'timed_out' || status === 'station_offline' ? 'faulted' : 'charging';
}

export function CommandsPanel(props: { stationId: string; v2: boolean; tick: number; activeTx: number | null }) {
  const [offset, setOffset] = useState(0);
  const history = useFetch(
    (signal) => list<CommandRecord>(`/stations/${encodeURIComponent(props.stationId)}/commands`, { limit: 20, offset }, signal),
    [props.stationId, offset, props.tick],
  );
  return (
    <div>
      {can('operator') && <CommandForm stationId={props.stationId} v2={props.v2} activeTx={props.activeTx} onSent={history.reload} />}
      <h3>{t('stations.commandHistory')}</h3>
      {history.error ? (
        <ErrorBox error={history.error} onRetry={history.reload} />
      ) : !history.data ? (
        <Loading />
      ) : history.data.items.length === 0 ? (
        <p class="muted">{t('stations.noCommands')}</p>
      ) : (
        <>
          <table>
            <caption class="sr-only">{t('stations.commandHistory')}</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">{t('stations.command')}</th>
                <th scope="col">{t('stations.commandStatus')}</th>
                <th scope="col">{t('stations.sentBy')}</th>
                <th scope="col">{t('stations.sentAt')}</th>
                <th scope="col">{t('stations.details')}</th>
              </tr>
            </thead>
            <tbody>
              {history.data.items.map((c) => (
                <tr key={c.id}>
                  <td>{c.id}</td>
                  <td>{commandLabel(c.kind)}</td>
                  <td>
                    <StatusBadge status={commandStatusClass(c.status)} label={t(`stations.commandStatus.${c.status}`)} />
                  </td>
                  <td>{c.created_by}</td>
                  <td>{dateTime(c.created_at)}</td>
                  <td>
                    <details>
                      <summary>{c.action ?? c.kind}</summary>
                      <CommandDetail c={c} />
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager page={history.data} onOffset={setOffset} label={t('stations.commandPages')} />
        </>
      )}
    </div>
  );
}

function CommandDetail(props: { c: CommandRecord }) {
  const { c } = props;
  return (
    <dl class="facts">
      <dt>{t('stations.params')}</dt>
      <dd>
        <Json value={c.params} />
      </dd>
      <dt>{t('stations.response')}</dt>
      <dd>
        <Json value={c.response} />
      </dd>
      {c.error && (
        <>
          <dt>{t('stations.commandError')}</dt>
          <dd class="error">{c.error}</dd>
        </>
      )}
      {c.transaction_id !== null && (
        <>
          <dt>{t('stations.transaction')}</dt>
          <dd>#{c.transaction_id}</dd>
        </>
      )}
    </dl>
  );
}

function CommandForm(props: { stationId: string; v2: boolean; activeTx: number | null; onSent: () => void }) {
  const specs = useMemo(() => commandsFor(props.v2), [props.v2]);
  const [kind, setKind] = useState(specs[0].kind);
  const spec = specs.find((s) => s.kind === kind) ?? specs[0];
  const [values, setValues] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<{ field: string; message: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<CommandRecord | null>(null);

  // A stop offers the running session; other fields start empty for each kind.
  const choose = (next: string) => {
    setKind(next);
    setValues(next === 'stop_transaction' && props.activeTx !== null ? { transaction_id: String(props.activeTx) } : {});
    setFieldError(null);
    setError(null);
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setFieldError(null);
    setError(null);
    setResult(null);
    let params: Record<string, unknown>;
    try {
      params = buildParams(spec, values, {
        required: t('stations.param.required'),
        integer: t('stations.param.integer'),
        json: t('stations.param.json'),
        decimal: t('stations.param.decimal'),
        datetime: t('stations.param.datetime'),
      });
    } catch (err) {
      if (err instanceof ParamError) return setFieldError({ field: err.param, message: err.message });
      throw err;
    }
    setBusy(true);
    try {
      const record = await request<CommandRecord>('POST', `/stations/${encodeURIComponent(props.stationId)}/commands`, {
        body: { kind: spec.kind, params },
        query: { wait: 30 },
      });
      setResult(record);
      props.onSent();
    } catch (err) {
      const field = err instanceof ApiError ? err.field : undefined;
      if (field && err instanceof ApiError) setFieldError({ field: field.replace(/^params\./, '').split(/[.[]/)[0], message: err.message });
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card command-form" onSubmit={submit} aria-labelledby="command-form-title">
      <h3 id="command-form-title">{t('stations.sendCommand')}</h3>
      <div class="row">
        <label>
          {t('stations.command')}
          <select value={kind} onChange={(e) => choose(e.currentTarget.value)}>
            {specs.map((s) => (
              <option key={s.kind} value={s.kind}>
                {commandLabel(s.kind)}
              </option>
            ))}
          </select>
        </label>
        {spec.params.map((p) => (
          <ParamField key={`${spec.kind}.${p.name}`} spec={spec} param={p} value={values[p.name] ?? ''} error={fieldError?.field === p.name ? fieldError.message : null} onInput={(v) => setValues((vs) => ({ ...vs, [p.name]: v }))} />
        ))}
      </div>
      {fieldError && !spec.params.some((p) => p.name === fieldError.field) && (
        <p class="error" role="alert">
          {fieldError.message}
        </p>
      )}
      {error !== null && <ErrorBox error={error} />}
      <div class="row">
        <button type="submit" disabled={busy}>
          {busy ? t('stations.sending') : t('stations.send', { command: commandLabel(spec.kind) })}
        </button>
      </div>
      {result && (
        <div class="result" role="status">
          <p>
            {t('stations.commandResult', { id: result.id, command: commandLabel(result.kind) })}{' '}
            <StatusBadge status={commandStatusClass(result.status)} label={t(`stations.commandStatus.${result.status}`)} />
          </p>
          <CommandDetail c={result} />
        </div>
      )}
    </form>
  );
}

function ParamField(props: { spec: CommandSpec; param: ParamSpec; value: string; error: string | null; onInput: (v: string) => void }) {
  const p = props.param;
  const label = `${t(`stations.param.${p.name}`)}${p.required ? ' *' : ''}`;
  const id = `param-${props.spec.kind}-${p.name}`;
  const errorId = `${id}-error`;
  const common = {
    id,
    'aria-invalid': props.error ? (true as const) : undefined,
    'aria-describedby': props.error ? errorId : undefined,
    required: p.required,
  };
  let input;
  if (p.type === 'select')
    input = (
      <select {...common} value={props.value} onChange={(e) => props.onInput(e.currentTarget.value)}>
        <option value="">{t('stations.param.default')}</option>
        {p.options!.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    );
  else if (p.type === 'bool')
    input = (
      <select {...common} value={props.value || 'true'} onChange={(e) => props.onInput(e.currentTarget.value)}>
        <option value="true">{t('common.yes')}</option>
        <option value="false">{t('common.no')}</option>
      </select>
    );
  else if (p.type === 'json')
    input = <textarea {...common} rows={3} cols={48} value={props.value} placeholder={p.example} onInput={(e) => props.onInput(e.currentTarget.value)} />;
  else
    input = (
      <input
        {...common}
        type={p.type === 'datetime' ? 'datetime-local' : 'text'}
        inputMode={p.type === 'int' ? 'numeric' : p.type === 'decimal' ? 'decimal' : undefined}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
    );
  return (
    <div class="param">
      <label for={id}>{label}</label>
      {input}
      {props.error && (
        <span id={errorId} class="error" role="alert">
          {props.error}
        </span>
      )}
    </div>
  );
}
