// A price broken down by dimension (start fee, energy, charging time, parking, reservation)
// excl. and incl. VAT, as the pricing engine gave it: the total is the engine's total, never a
// sum made here.
import { energyWh, money, number } from '../../lib/format';
import { t } from '../../lib/i18n';
import type { Amount, Totals } from './types';

function Row(props: { label: string; quantity?: string; amount?: Amount; currency: string; total?: boolean }) {
  if (!props.amount && !props.total) return null;
  return (
    <tr class={props.total ? 'total' : undefined}>
      <th scope="row">{props.label}</th>
      <td>{props.quantity ?? ''}</td>
      <td class="num">{money(props.amount?.excl_vat, props.currency)}</td>
      <td class="num">{props.amount?.incl_vat === undefined ? '–' : money(props.amount.incl_vat, props.currency)}</td>
    </tr>
  );
}

const hours = (h: number | undefined) => (h === undefined ? undefined : t('sessions.cost.hours', { h: number(h, 2) }));

export function CostTable(props: { totals: Totals; caption: string }) {
  const c = props.totals;
  const cur = c.currency;
  return (
    <table class="cost-table">
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('sessions.cost.dimension')}</th>
          <th scope="col">{t('sessions.cost.quantity')}</th>
          <th scope="col" class="num">{t('sessions.cost.exclVat')}</th>
          <th scope="col" class="num">{t('sessions.cost.inclVat')}</th>
        </tr>
      </thead>
      <tbody>
        <Row label={t('sessions.cost.fixed')} amount={c.total_fixed_cost} currency={cur} />
        <Row label={t('sessions.cost.energy')} quantity={energyWh(c.total_energy * 1000, 3)} amount={c.total_energy_cost} currency={cur} />
        <Row label={t('sessions.cost.time')} quantity={hours(c.total_time)} amount={c.total_time_cost} currency={cur} />
        <Row label={t('sessions.cost.parking')} quantity={hours(c.total_parking_time)} amount={c.total_parking_cost} currency={cur} />
        <Row label={t('sessions.cost.reservation')} amount={c.total_reservation_cost} currency={cur} />
        <Row label={t('sessions.cost.total')} amount={c.total_cost} currency={cur} total />
      </tbody>
    </table>
  );
}
