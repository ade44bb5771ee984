// The live preview: the example session priced under the tariff as it stands in the editor,
// through POST /tariffs/preview, debounced (400 ms after the last change); the older request is
// aborted, so what is shown is always the answer for what is typed.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, request } from '../../lib/api';
import { money } from '../../lib/format';
import { t } from '../../lib/i18n';
import { CostTable } from '../sessions/CostTable';
import type { Totals } from '../sessions/types';
import { type Example, periods } from './example';
import { TextField } from './fields';
import type { OcpiTariff } from './model';

const DEBOUNCE_MS = 400;

export function usePreview(tariff: OcpiTariff, example: Example) {
  const [state, setState] = useState<{ result?: Totals; error?: ApiError | string; busy: boolean }>({ busy: false });
  const key = JSON.stringify([tariff, example]);
  useEffect(() => {
    const p = periods(example);
    if ('error' in p) {
      setState({ error: t(p.error), busy: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, busy: true }));
    const timer = setTimeout(() => {
      request<Totals>('POST', '/tariffs/preview', {
        body: { tariff: { ...tariff, id: tariff.id || 'preview' }, time_zone: example.time_zone || 'UTC', periods: p.periods },
        signal: controller.signal,
      }).then(
        (result) => setState({ result, busy: false }),
        (error) => {
          if (!controller.signal.aborted) setState({ error: error instanceof ApiError ? error : String(error), busy: false });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  return state;
}

export function ExampleForm(props: { example: Example; onChange: (e: Example) => void }) {
  const e = props.example;
  const set = (k: keyof Example) => (v: string) => props.onChange({ ...e, [k]: v });
  return (
    <fieldset class="example row">
      <legend>{t('tariffs.example')}</legend>
      <TextField path="example.time_zone" label={t('tariffs.example.timeZone')} value={e.time_zone} size={16} onInput={set('time_zone')} />
      <TextField path="example.start" label={t('tariffs.example.start')} type="datetime-local" value={e.start} onInput={set('start')} />
      <TextField path="example.charging_min" label={t('tariffs.example.charging')} inputMode="numeric" size={6} value={e.charging_min} onInput={set('charging_min')} />
      <TextField path="example.energy_kwh" label={t('tariffs.example.energy')} inputMode="decimal" size={6} value={e.energy_kwh} onInput={set('energy_kwh')} />
      <TextField path="example.max_power_kw" label={t('tariffs.example.power')} inputMode="decimal" size={6} value={e.max_power_kw} onInput={set('max_power_kw')} />
      <TextField path="example.parking_min" label={t('tariffs.example.parking')} inputMode="numeric" size={6} value={e.parking_min} onInput={set('parking_min')} />
    </fieldset>
  );
}

export function PreviewResult(props: { state: ReturnType<typeof usePreview> }) {
  const { result, error, busy } = props.state;
  return (
    <div class="preview card" aria-busy={busy ? 'true' : 'false'}>
      <h2>{t('tariffs.preview')}</h2>
      <div aria-live="polite">
        {error ? (
          <p class="error" role="alert">
            {typeof error === 'string' ? error : t('tariffs.preview.refused', { detail: error.message })}
          </p>
        ) : result ? (
          <p class="preview-total">
            {t('tariffs.preview.total')}{' '}
            <output data-testid="preview-total">{result.total_cost.incl_vat !== undefined ? money(result.total_cost.incl_vat, result.currency) : money(result.total_cost.excl_vat, result.currency)}</output>
            <span class="muted">
              {' '}
              {result.total_cost.incl_vat !== undefined ? t('tariffs.preview.inclVat') : t('tariffs.preview.exclVat')} ·{' '}
              {t('tariffs.preview.exact', { excl: String(result.total_cost.excl_vat), incl: String(result.total_cost.incl_vat ?? '–'), currency: result.currency })}
            </span>
          </p>
        ) : (
          <p class="muted">{t('common.loading')}</p>
        )}
      </div>
      {result && !error && <CostTable totals={result} caption={t('tariffs.preview.caption')} />}
    </div>
  );
}
