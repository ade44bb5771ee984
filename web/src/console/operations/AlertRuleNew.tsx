// Creating an alert rule (operators; POST /alert-rules, docs/operations.md "Alerts"): its name,
// what it watches (the condition, with only the parameters that condition uses), how severe it
// is, where it applies (every station, a location, a station), its quiet hours, the channels its
// alerts go to, and whether it is enabled. Channels are created through the API; here they are
// only chosen. A field the server refuses is marked with the server's message.
import { useState } from 'preact/hooks';
import { ApiError, list, post } from '../../lib/api';
import { t } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import { ErrorBox, useFetch } from '../../ui/components';
import { Crumb, Field, fieldError, fieldErrorId, type FieldAria, Options, Status, submitted, useAction } from './parts';
import { ALERT_CONDITIONS, type AlertChannel, type AlertCondition, type AlertRule, type Severity } from './types';
import './operations.css';

const SEVERITIES: readonly Severity[] = ['info', 'warning', 'critical'];
const SCOPES = ['all', 'location', 'station'] as const;
type Scope = (typeof SCOPES)[number];

/** OCPP 1.6 ChargePointErrorCode, less NoError (which the server refuses for a rule). */
const ERROR_CODES = [
  'ConnectorLockFailure',
  'EVCommunicationError',
  'GroundFailure',
  'HighTemperature',
  'InternalError',
  'LocalListConflict',
  'OtherError',
  'OverCurrentFailure',
  'OverVoltage',
  'PowerMeterFailure',
  'PowerSwitchFailure',
  'ReaderFailure',
  'ResetFailure',
  'UnderVoltage',
  'WeakSignal',
] as const;

/** The members each condition reads (the server clears the others). */
const PARAMETERS: Record<AlertCondition, readonly ('minutes' | 'count' | 'error_code' | 'measurand' | 'min' | 'max')[]> = {
  station_offline: ['minutes'],
  connector_faulted: [],
  error_code: ['error_code'],
  failed_authorizations: ['count'],
  failed_starts: ['count'],
  firmware_failed: [],
  reading_out_of_range: ['measurand', 'min', 'max'],
  uptime_below: ['min', 'count'],
};
/** Sent as strings; the other parameters as numbers. */
const TEXT = new Set(['error_code', 'measurand']);

interface LocationRef {
  id: string;
  name: string;
}

export function AlertRuleNew() {
  // Controlled: they decide which fields are shown.
  const [condition, setCondition] = useState<AlertCondition>('station_offline');
  const [scope, setScope] = useState<Scope>('all');
  const [quiet, setQuiet] = useState({ start: '', end: '' });
  const channels = useFetch((signal) => list<AlertChannel>('/alert-channels', { limit: 1000 }, signal), []);
  const locations = useFetch((signal) => list<LocationRef>('/locations', { limit: 1000 }, signal), []);
  const action = useAction();
  const error = action.failure;

  const submit = (e: Event) => {
    const { data, text } = submitted(e);
    // Only what was given: a parameter left empty is the server's default (or, for min and max,
    // none), and one the condition does not use is not sent at all.
    const body: Record<string, unknown> = { name: text('name'), condition, severity: text('severity'), scope };
    if (scope !== 'all') body.scope_id = text('scope_id');
    for (const key of PARAMETERS[condition]) if (text(key)) body[key] = TEXT.has(key) ? text(key) : Number(text(key));
    // Both or neither: the inputs ask for the other once one is given.
    if (quiet.start || quiet.end) body.quiet_hours = { start: quiet.start, end: quiet.end };
    const chosen = data.getAll('channels').map(Number);
    if (chosen.length) body.channels = chosen;
    body.enabled = data.get('enabled') === 'on';
    void action.run(async () => {
      await post<AlertRule>('/alert-rules', body);
      navigate('/alerts/rules');
    });
  };

  const quietError = fieldError(error, 'quiet_hours');
  // Both times are tied to the quiet hours' hint, and to the server's complaint about them.
  const quietAria: FieldAria = {
    'aria-invalid': quietError ? true : undefined,
    'aria-describedby': quietError ? `rule-quiet-hint ${fieldErrorId('rule', 'quiet_hours')}` : 'rule-quiet-hint',
  };
  const channelsError = fieldError(error, 'channels');
  return (
    <section class="ops">
      <Crumb to="/alerts/rules">{t('alerts.rules.back')}</Crumb>
      <h1>{t('alerts.new.title')}</h1>
      <p class="muted">{t('alerts.new.intro')}</p>
      <form class="card" onSubmit={submit} aria-labelledby="new-rule-title">
        <h2 id="new-rule-title" class="sr-only">
          {t('alerts.new.title')}
        </h2>
        <div class="row">
          <Field form="rule" name="name" label={t('alerts.new.name')} failure={error}>
            {(aria) => <input name="name" required maxLength={200} size={30} {...aria} />}
          </Field>
          <Field form="rule" name="severity" label={t('alerts.severity')} failure={error}>
            {(aria) => (
              <select name="severity" {...aria}>
                <Options values={SEVERITIES} text={(s) => t(`ops.severity.${s}`)} selected="warning" />
              </select>
            )}
          </Field>
          <label class="check">
            <input name="enabled" type="checkbox" defaultChecked />
            {t('alerts.new.enabled')}
          </label>
        </div>

        <h3>{t('alerts.new.what')}</h3>
        <div class="row">
          <Field form="rule" name="condition" label={t('alerts.new.condition')} failure={error} hint="rule-condition-hint">
            {(aria) => (
              <select name="condition" value={condition} onChange={(e) => setCondition(e.currentTarget.value as AlertCondition)} {...aria}>
                <Options values={ALERT_CONDITIONS} text={(c) => t(`alerts.condition.${c}`)} />
              </select>
            )}
          </Field>
        </div>
        <p id="rule-condition-hint" class="hint">
          {t(`alerts.new.when.${condition}`)}
        </p>
        {/* Keyed by the condition: its fields start afresh, at the server's defaults, when it changes. */}
        <Parameters key={condition} condition={condition} failure={error} />

        <h3>{t('alerts.new.where')}</h3>
        <div class="row">
          <Field form="rule" name="scope" label={t('alerts.rules.scope')} failure={error}>
            {(aria) => (
              <select name="scope" value={scope} onChange={(e) => setScope(e.currentTarget.value as Scope)} {...aria}>
                <Options values={SCOPES} text={(s) => t(`alerts.new.scope.${s}`)} />
              </select>
            )}
          </Field>
          {scope === 'location' && (
            <Field form="rule" key="location" name="scope_id" label={t('alerts.new.location')} failure={error}>
              {(aria) => (
                <select name="scope_id" required {...aria}>
                  <option value="">{t('alerts.new.chooseLocation')}</option>
                  {locations.data?.items.map((l) => (
                    <option key={l.id} value={l.id}>
                      {t('alerts.new.locationOf', { name: l.name, id: l.id })}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          )}
          {scope === 'station' && (
            <Field form="rule" key="station" name="scope_id" label={t('alerts.new.station')} failure={error}>
              {(aria) => <input name="scope_id" required maxLength={48} size={20} {...aria} />}
            </Field>
          )}
        </div>
        {scope === 'location' && <Status state={locations} />}

        <h3>{t('alerts.new.delivery')}</h3>
        <fieldset class="period">
          <legend>{t('alerts.new.quietHours')}</legend>
          <div class="row">
            <label>
              {t('alerts.new.quietStart')}
              <input
                name="quiet_start"
                type="time"
                required={!!quiet.end}
                value={quiet.start}
                onInput={(e) => setQuiet({ ...quiet, start: e.currentTarget.value })}
                {...quietAria}
              />
            </label>
            <label>
              {t('alerts.new.quietEnd')}
              <input
                name="quiet_end"
                type="time"
                required={!!quiet.start}
                value={quiet.end}
                onInput={(e) => setQuiet({ ...quiet, end: e.currentTarget.value })}
                {...quietAria}
              />
            </label>
          </div>
          {quietError && (
            <p id={fieldErrorId('rule', 'quiet_hours')} class="error hint">
              {quietError}
            </p>
          )}
          <p id="rule-quiet-hint" class="hint">
            {t('alerts.new.quietHint')}
          </p>
        </fieldset>

        <fieldset class="period">
          <legend>{t('alerts.rules.channels')}</legend>
          <Status state={channels} />
          {channels.data && channels.data.total === 0 && <p class="hint">{t('alerts.new.noChannels')}</p>}
          <div class="row">
            {channels.data?.items.map((c) => (
              <label key={c.id} class="check">
                <input
                  name="channels"
                  type="checkbox"
                  value={String(c.id)}
                  aria-invalid={channelsError ? true : undefined}
                  aria-describedby={channelsError ? fieldErrorId('rule', 'channels') : undefined}
                />
                {t(c.enabled ? 'alerts.new.channelOf' : 'alerts.new.channelOfDisabled', { name: c.name, kind: t(`alerts.new.kind.${c.kind}`), id: c.id })}
              </label>
            ))}
          </div>
          {channelsError && (
            <p id={fieldErrorId('rule', 'channels')} class="error hint">
              {channelsError}
            </p>
          )}
        </fieldset>

        <p>
          <button type="submit" disabled={action.busy}>
            {t('alerts.new.createButton')}
          </button>
        </p>
        {error !== null && !(error instanceof ApiError && error.field && SHOWN.has(error.field)) && <ErrorBox error={error} />}
      </form>
    </section>
  );
}

/** The fields whose complaints are said under them; any other complaint is said below the form. */
const SHOWN = new Set(['name', 'severity', 'condition', 'scope', 'scope_id', 'minutes', 'count', 'error_code', 'measurand', 'min', 'max', 'quiet_hours', 'channels']);

/** The parameters of `condition`, each with what it means in a hint tied to it. */
function Parameters(props: { condition: AlertCondition; failure: unknown }) {
  const { condition, failure } = props;
  const keys = PARAMETERS[condition];
  if (!keys.length) return null;
  // count and min mean something else for each condition that uses them: their words are the condition's.
  const which = (key: string) => (key === 'count' || key === 'min' ? `${key}.${condition}` : key);
  return (
    <>
      <div class="row">
        {keys.map((key) => (
          <Field form="rule" key={key} name={key} label={t(`alerts.new.param.${which(key)}`)} failure={failure} hint={`rule-${key}-hint`}>
            {(aria) => <ParameterInput name={key} condition={condition} aria={aria} />}
          </Field>
        ))}
      </div>
      {keys.map((key) => (
        <p key={key} id={`rule-${key}-hint`} class="hint">
          {t(`alerts.new.hint.${which(key)}`)}
        </p>
      ))}
    </>
  );
}

function ParameterInput(props: { name: string; condition: AlertCondition; aria: FieldAria }) {
  const { name, aria } = props;
  switch (name) {
    case 'minutes':
      return <input name="minutes" type="number" min={0} max={10080} step={1} size={6} defaultValue="0" {...aria} />;
    case 'count':
      // The server's defaults: one in a row; a window of 30 days for the uptime.
      return props.condition === 'uptime_below' ? (
        <input name="count" type="number" min={1} max={90} step={1} size={4} defaultValue="30" {...aria} />
      ) : (
        <input name="count" type="number" min={1} max={1000} step={1} size={5} defaultValue="1" {...aria} />
      );
    case 'error_code':
      return (
        <select name="error_code" required {...aria}>
          <option value="">{t('alerts.new.chooseCode')}</option>
          {ERROR_CODES.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      );
    case 'measurand':
      return <input name="measurand" required maxLength={64} size={24} {...aria} />;
    default:
      // min and max: any finite number (a percentage for the uptime, required there).
      return props.condition === 'uptime_below' ? (
        <input name="min" type="number" min={0} max={100} step="any" size={6} required {...aria} />
      ) : (
        <input name={name} type="number" step="any" size={8} {...aria} />
      );
  }
}
