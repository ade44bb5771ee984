// The receipt of an ended session, from its CDR: lines per dimension, VAT per rate, the total.
import { t } from '../lib/i18n';
import { dateTime, duration, energyWh, money, number } from '../lib/format';
import type { Receipt } from './types';

function quantity(q: string | number, unit: string): string {
  const n = Number(q);
  return `${Number.isFinite(n) ? number(n, 3) : q} ${unit}`;
}

export function ReceiptView({ receipt: r, timeZone }: { receipt: Receipt; timeZone?: string }) {
  const m = (v: string | null | undefined) => money(v, r.currency);
  return (
    <section class="card stack receipt" aria-labelledby="receipt">
      <h2 id="receipt">{t('drive.receipt.title')}</h2>
      <p class="small muted">{t('drive.receipt.number', { id: r.cdr_id })}</p>
      <dl class="facts">
        <dt>{t('drive.receipt.where')}</dt>
        <dd>
          {r.location_name}
          {r.address ? `, ${r.address}` : ''}
          {r.evse_id ? ` (${r.evse_id})` : ''}
        </dd>
        <dt>{t('drive.receipt.when')}</dt>
        <dd>
          {dateTime(r.started_at, timeZone)} – {dateTime(r.ended_at, timeZone)}
        </dd>
        <dt>{t('drive.receipt.energy')}</dt>
        <dd>{energyWh(r.energy_wh, 3)}</dd>
        <dt>{t('drive.receipt.charging')}</dt>
        <dd>{duration(r.charging_s)}</dd>
        {r.parking_s > 0 && (
          <>
            <dt>{t('drive.receipt.parking')}</dt>
            <dd>{duration(r.parking_s)}</dd>
          </>
        )}
      </dl>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('drive.receipt.item')}</th>
            <th scope="col">{t('drive.receipt.quantity')}</th>
            <th scope="col" class="num">
              {t('drive.receipt.amount')}
            </th>
          </tr>
        </thead>
        <tbody>
          {r.lines.map((l, i) => (
            <tr key={i}>
              <td>{t(`drive.receipt.line.${l.dimension}`)}</td>
              <td>{quantity(l.quantity, l.unit)}</td>
              <td class="num">{m(l.amount_excl_vat)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" colSpan={2}>
              {t('drive.receipt.exclVat')}
            </th>
            <td class="num">{m(r.total_excl_vat)}</td>
          </tr>
          {r.vat.map((v) => (
            <tr key={String(v.rate)}>
              <th scope="row" colSpan={2}>
                {t('drive.receipt.vat', { rate: number(Number(v.rate), 2) })}
              </th>
              <td class="num">{m(v.amount)}</td>
            </tr>
          ))}
          <tr class="total">
            <th scope="row" colSpan={2}>
              {t('drive.receipt.total')}
            </th>
            <td class="num" data-testid="receipt-total">
              {m(r.total_incl_vat ?? r.total_excl_vat)}
            </td>
          </tr>
        </tfoot>
      </table>
      {r.payment && (
        <p class="small">
          {t('drive.receipt.payment', {
            method: r.payment.method === 'card' || r.payment.method === 'account' ? t(`drive.receipt.method.${r.payment.method}`) : r.payment.method,
            status: r.payment.status,
          })}
        </p>
      )}
      <button class="secondary noprint" onClick={() => window.print()}>
        {t('drive.receipt.print')}
      </button>
    </section>
  );
}
