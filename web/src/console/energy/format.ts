// Amperes and kilowatts of the energy picture as text, in the viewer's locale.
import { number } from '../../lib/format';
import { t } from '../../lib/i18n';
import { num, type Limit, type Quantity } from './types';

/** Amperes exactly as the API gives them (thousandths: mA), so a share of 31.875 A is not shown as 32. */
export function amps(q: Quantity | null | undefined): string {
  const v = num(q);
  return v === null ? '–' : t('energy.amps', { value: number(v, 3) });
}

export function kw(q: Quantity | null | undefined): string {
  const v = num(q);
  return v === null ? '–' : t('energy.kw', { value: number(v, 1) });
}

export function kwh(q: Quantity | null | undefined): string {
  const v = num(q);
  return v === null ? '–' : t('energy.kwh', { value: number(v, 1) });
}

/** "32 A per phase · 22 kW", or what of it is set. */
export function limitText(l: Limit): string {
  const parts: string[] = [];
  if (l.per_phase_a !== null) parts.push(t('energy.perPhase', { value: amps(l.per_phase_a) }));
  if (l.power_kw !== null) parts.push(kw(l.power_kw));
  return parts.length ? parts.join(' · ') : t('energy.noLimit');
}
