// Load against the limit, per phase, of the grid connection or a circuit: a bar per phase with
// the measured draw, the allocated share marked, and the numbers in text (not colour alone).
import { t } from '../../lib/i18n';
import { amps } from './format';
import { num, type CircuitPicture } from './types';

const PHASES = ['L1', 'L2', 'L3'];

export function PhaseBars(props: { circuit: CircuitPicture; phases: number }) {
  const { circuit } = props;
  const limit = num(circuit.limit.per_phase_a);
  const count = props.phases === 1 ? 1 : 3;
  const values = PHASES.slice(0, count).map((_, i) => ({ measured: num(circuit.measured_a[i]) ?? 0, allocated: num(circuit.allocated_a[i]) ?? 0 }));
  const scale = limit ?? Math.max(1, ...values.map((v) => Math.max(v.measured, v.allocated)));
  const pct = (v: number) => `${Math.min(100, (v / scale) * 100).toFixed(1)}%`;
  return (
    <table class="phases">
      <caption class="sr-only">{t('energy.phases')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('energy.phase')}</th>
          <th scope="col">{t('energy.measured')}</th>
          <th scope="col">{t('energy.allocated')}</th>
          <th scope="col">{t('energy.limit')}</th>
          <th scope="col" class="bar-col">
            <span class="sr-only">{t('energy.bar')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {values.map((v, i) => (
          <tr key={PHASES[i]} data-testid={`phase-${PHASES[i]}`}>
            <th scope="row">{PHASES[i]}</th>
            <td>{amps(v.measured)}</td>
            <td>{amps(v.allocated)}</td>
            <td>{limit !== null ? amps(limit) : t('energy.noLimit')}</td>
            <td class="bar-col" aria-hidden="true">
              <div class="bar">
                <div class={`fill${limit !== null && v.measured > limit ? ' over' : ''}`} style={{ width: pct(v.measured) }} />
                <div class="alloc" style={{ left: pct(v.allocated) }} />
              </div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
