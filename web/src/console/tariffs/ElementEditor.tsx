// One element of a tariff: its price components and the restrictions under which it applies.
import { t } from '../../lib/i18n';
import { DAYS, DIMENSIONS, type ElementDraft, newComponent, RESTRICTION_FIELDS } from './model';
import { SelectField, TextField } from './fields';

const TIME_FIELDS = new Set(['start_time', 'end_time']);
const DATE_FIELDS = new Set(['start_date', 'end_date']);

export function ElementEditor(props: {
  index: number;
  element: ElementDraft;
  invalid: string | null;
  count: number;
  change: (fn: (e: ElementDraft) => void) => void;
  remove: () => void;
  move: (by: -1 | 1) => void;
}) {
  const { element: el, index, invalid } = props;
  const base = `elements.${index}`;
  const restricted = RESTRICTION_FIELDS.some((f) => el.restrictions[f]) || el.restrictions.day_of_week.length > 0 || el.restrictions.reservation !== '';
  const name = t('tariffs.element', { n: index + 1 });
  return (
    <fieldset class="element card">
      <legend>{name}</legend>
      <div class="element-tools">
        <button type="button" class="secondary" disabled={index === 0} onClick={() => props.move(-1)} aria-label={t('tariffs.moveUp', { name })}>
          ↑
        </button>
        <button type="button" class="secondary" disabled={index === props.count - 1} onClick={() => props.move(1)} aria-label={t('tariffs.moveDown', { name })}>
          ↓
        </button>
        <button type="button" class="secondary" disabled={props.count === 1} onClick={props.remove}>
          {t('tariffs.removeElement', { name })}
        </button>
      </div>
      {el.price_components.map((c, i) => {
        const p = `${base}.price_components.${i}`;
        return (
          <fieldset class="component row" key={i}>
            <legend>{t('tariffs.component', { element: index + 1, n: i + 1 })}</legend>
            <SelectField path={`${p}.type`} label={t('tariffs.dimension')} value={c.type} invalid={invalid} onChange={(v) => props.change((e) => (e.price_components[i].type = v))}>
              {DIMENSIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`tariffs.dimension.${d}`)}
                </option>
              ))}
            </SelectField>
            <TextField path={`${p}.price`} label={t(`tariffs.price.${c.type}`)} value={c.price} inputMode="decimal" size={8} invalid={invalid} onInput={(v) => props.change((e) => (e.price_components[i].price = v))} />
            <TextField path={`${p}.vat`} label={t('tariffs.vat')} value={c.vat} inputMode="decimal" size={5} invalid={invalid} onInput={(v) => props.change((e) => (e.price_components[i].vat = v))} />
            <TextField path={`${p}.step_size`} label={t(`tariffs.step.${c.type}`)} value={c.step_size} inputMode="numeric" size={6} invalid={invalid} onInput={(v) => props.change((e) => (e.price_components[i].step_size = v))} />
            <button type="button" class="secondary" disabled={el.price_components.length === 1} onClick={() => props.change((e) => e.price_components.splice(i, 1))}>
              {t('tariffs.removeComponent', { element: index + 1, n: i + 1 })}
            </button>
          </fieldset>
        );
      })}
      <button type="button" class="secondary" onClick={() => props.change((e) => e.price_components.push(newComponent()))}>
        {t('tariffs.addComponent', { name })}
      </button>
      <details open={restricted}>
        <summary>{restricted ? t('tariffs.restrictions.some') : t('tariffs.restrictions.none')}</summary>
        <div class="row restrictions">
          {RESTRICTION_FIELDS.map((f) => (
            <TextField
              key={f}
              path={`${base}.restrictions.${f}`}
              label={t(`tariffs.r.${f}`)}
              type={TIME_FIELDS.has(f) ? 'time' : DATE_FIELDS.has(f) ? 'date' : 'text'}
              inputMode={TIME_FIELDS.has(f) || DATE_FIELDS.has(f) ? undefined : 'decimal'}
              size={8}
              value={el.restrictions[f] ?? ''}
              invalid={invalid}
              onInput={(v) => props.change((e) => (e.restrictions[f] = v))}
            />
          ))}
          <SelectField
            path={`${base}.restrictions.reservation`}
            label={t('tariffs.r.reservation')}
            value={el.restrictions.reservation}
            invalid={invalid}
            onChange={(v) => props.change((e) => (e.restrictions.reservation = v))}
          >
            <option value="">{t('tariffs.r.reservation.none')}</option>
            <option value="RESERVATION">{t('tariffs.r.reservation.RESERVATION')}</option>
            <option value="RESERVATION_EXPIRES">{t('tariffs.r.reservation.RESERVATION_EXPIRES')}</option>
          </SelectField>
        </div>
        <fieldset class="days row">
          <legend>{t('tariffs.r.day_of_week', { name })}</legend>
          {DAYS.map((d) => (
            <label key={d} class="check">
              <input
                type="checkbox"
                checked={el.restrictions.day_of_week.includes(d)}
                onChange={(ev) => {
                  const on = ev.currentTarget.checked;
                  props.change((e) => {
                    const days = e.restrictions.day_of_week.filter((x) => x !== d);
                    e.restrictions.day_of_week = on ? [...days, d] : days;
                  });
                }}
              />
              {t(`tariffs.day.${d}`)}
            </label>
          ))}
        </fieldset>
      </details>
    </fieldset>
  );
}
