// Every remote command kind (docs/api.md "Remote commands") with its parameters, so the station
// page offers a form per kind: only the kinds and parameters the station's OCPP version has.

export type ParamType = 'text' | 'int' | 'decimal' | 'bool' | 'datetime' | 'list' | 'intlist' | 'json' | 'select';

export interface ParamSpec {
  name: string;
  type: ParamType;
  required?: boolean;
  /** Only for 1.6 ("v16") or only for 2.x ("v2"). */
  only?: 'v16' | 'v2';
  options?: string[];
  /** A JSON parameter's example, shown as the field's placeholder. */
  example?: string;
}

export interface CommandSpec {
  kind: string;
  only?: 'v16' | 'v2';
  params: ParamSpec[];
}

const connector: ParamSpec = { name: 'connector_id', type: 'int', only: 'v16' };
const evse: ParamSpec = { name: 'evse_id', type: 'int', only: 'v2' };
const profileExample = '{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxDefaultProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16}]}}';

export const COMMANDS: CommandSpec[] = [
  { kind: 'start_transaction', params: [{ name: 'id_tag', type: 'text', required: true }, connector, evse, { name: 'charging_profile', type: 'json', example: profileExample }] },
  { kind: 'stop_transaction', params: [{ name: 'transaction_id', type: 'int', required: true }] },
  { kind: 'reset', params: [{ name: 'type', type: 'select', options: ['soft', 'hard'] }, evse] },
  { kind: 'unlock_connector', params: [{ name: 'connector_id', type: 'int', required: true }, { ...evse, required: true }] },
  { kind: 'change_availability', params: [{ name: 'operative', type: 'bool' }, connector, evse] },
  { kind: 'get_configuration', only: 'v16', params: [{ name: 'keys', type: 'list' }] },
  { kind: 'change_configuration', only: 'v16', params: [{ name: 'key', type: 'text', required: true }, { name: 'value', type: 'text', required: true }] },
  { kind: 'get_variables', only: 'v2', params: [{ name: 'variables', type: 'json', required: true, example: '[{"component":"OCPPCommCtrlr","variable":"HeartbeatInterval"}]' }] },
  { kind: 'set_variables', only: 'v2', params: [{ name: 'variables', type: 'json', required: true, example: '[{"component":"OCPPCommCtrlr","variable":"HeartbeatInterval","value":"300"}]' }] },
  { kind: 'get_base_report', only: 'v2', params: [{ name: 'report_base', type: 'select', options: ['FullInventory', 'ConfigurationInventory', 'SummaryInventory'] }] },
  { kind: 'trigger_message', params: [{ name: 'message', type: 'text', required: true }, connector, evse] },
  { kind: 'clear_cache', params: [] },
  { kind: 'data_transfer', params: [{ name: 'vendor_id', type: 'text', required: true }, { name: 'message_id', type: 'text' }, { name: 'data', type: 'text' }] },
  { kind: 'update_firmware', params: [{ name: 'location', type: 'text', required: true }, { name: 'retrieve_at', type: 'datetime', required: true }, { name: 'retries', type: 'int' }] },
  { kind: 'get_diagnostics', params: [{ name: 'location', type: 'text', required: true }] },
  { kind: 'get_log', params: [{ name: 'location', type: 'text', required: true }, { name: 'log_type', type: 'select', options: ['DiagnosticsLog', 'SecurityLog'] }] },
  { kind: 'send_local_list', params: [{ name: 'version', type: 'int', required: true }, { name: 'update_type', type: 'select', options: ['Full', 'Differential'] }, { name: 'tokens', type: 'json', required: true, example: '[{"id_tag":"04A2B3C4D5","status":"Accepted"}]' }] },
  { kind: 'get_local_list_version', params: [] },
  { kind: 'reserve_now', params: [{ name: 'id_tag', type: 'text', required: true }, { name: 'expires_at', type: 'datetime', required: true }, { name: 'reservation_id', type: 'int' }, { ...connector, required: true }, evse] },
  { kind: 'cancel_reservation', params: [{ name: 'reservation_id', type: 'int', required: true }] },
  { kind: 'set_charging_profile', params: [{ name: 'profile', type: 'json', required: true, example: profileExample }, { ...connector, required: true }, { ...evse, required: true }] },
  { kind: 'clear_charging_profile', params: [{ name: 'profile_id', type: 'int' }, connector, evse, { name: 'purpose', type: 'text' }, { name: 'stack_level', type: 'int' }] },
  { kind: 'get_composite_schedule', params: [{ name: 'duration', type: 'int', required: true }, { name: 'unit', type: 'select', options: ['A', 'W'] }, { ...connector, required: true }, { ...evse, required: true }] },
  { kind: 'get_charging_profiles', only: 'v2', params: [{ name: 'purpose', type: 'text' }, { name: 'stack_level', type: 'int' }, { name: 'profile_ids', type: 'intlist' }, { name: 'sources', type: 'list' }, evse, { name: 'request_id', type: 'int' }] },
  { kind: 'get_transaction_status', only: 'v2', params: [{ name: 'transaction_id', type: 'int' }] },
  { kind: 'set_network_profile', only: 'v2', params: [{ name: 'configuration_slot', type: 'int', required: true }, { name: 'connection_data', type: 'json', required: true, example: '{"ocpp_csms_url":"wss://csms.example/ocpp","security_profile":2,"ocpp_interface":"Wired0","message_timeout":30}' }] },
  { kind: 'cost_updated', only: 'v2', params: [{ name: 'transaction_id', type: 'int', required: true }, { name: 'total_cost', type: 'decimal', required: true }] },
];

export function commandsFor(v2: boolean): CommandSpec[] {
  const version = v2 ? 'v2' : 'v16';
  return COMMANDS.filter((c) => !c.only || c.only === version).map((c) => ({ ...c, params: c.params.filter((p) => !p.only || p.only === version) }));
}

export class ParamError extends Error {
  constructor(readonly param: string, message: string) {
    super(message);
  }
}

/**
 * The command's `params` from the form's texts: empty optional fields left out; numbers,
 * lists, date-times and JSON read and checked here, the rest checked by the server (422 names
 * the parameter). Throws ParamError naming the field.
 */
export function buildParams(spec: CommandSpec, values: Record<string, string>, messages: { required: string; integer: string; json: string; decimal: string; datetime: string }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of spec.params) {
    const raw = (values[p.name] ?? '').trim();
    if (!raw) {
      if (p.type === 'bool') out[p.name] = values[p.name] !== 'false';
      else if (p.required) throw new ParamError(p.name, messages.required);
      continue;
    }
    switch (p.type) {
      case 'int': {
        if (!/^\d{1,10}$/.test(raw) || Number(raw) > 2147483647) throw new ParamError(p.name, messages.integer);
        out[p.name] = Number(raw);
        break;
      }
      case 'intlist': {
        const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
        if (items.some((s) => !/^\d{1,10}$/.test(s))) throw new ParamError(p.name, messages.integer);
        out[p.name] = items.map(Number);
        break;
      }
      case 'decimal':
        if (!/^\d{1,12}(\.\d{1,6})?$/.test(raw)) throw new ParamError(p.name, messages.decimal);
        out[p.name] = raw; // as text: kept exact
        break;
      case 'bool':
        out[p.name] = raw === 'true';
        break;
      case 'datetime': {
        const d = new Date(raw);
        if (Number.isNaN(d.getTime())) throw new ParamError(p.name, messages.datetime);
        out[p.name] = d.toISOString();
        break;
      }
      case 'list':
        out[p.name] = raw.split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case 'json':
        try {
          out[p.name] = JSON.parse(raw);
        } catch {
          throw new ParamError(p.name, messages.json);
        }
        break;
      default:
        out[p.name] = raw;
    }
  }
  return out;
}
