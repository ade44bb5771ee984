// A CDR as people read it: who, where, when, and its price, with its charging periods.
import { dateTime, number } from '../../lib/format';
import { t } from '../../lib/i18n';
import { Link } from '../../ui/components';
import { CostTable } from './CostTable';
import type { Cdr } from './types';

export function CdrView(props: { cdr: Cdr; timeZone?: string }) {
  const c = props.cdr;
  const loc = c.cdr_location;
  return (
    <div class="cdr">
      <dl class="facts card">
        <dt>{t('cdrs.id')}</dt>
        <dd>
          <Link to={`/cdrs/${encodeURIComponent(c.id)}`}>{c.id}</Link>
          {c.credit && <> · {t('cdrs.creditOf', { id: c.credit_reference_id ?? '' })}</>}
        </dd>
        <dt>{t('cdrs.location')}</dt>
        <dd>{[loc.name, loc.address, loc.city, loc.country].filter(Boolean).join(', ') || loc.id}</dd>
        <dt>{t('cdrs.evse')}</dt>
        <dd>{[loc.evse_id || loc.evse_uid, loc.connector_id && t('cdrs.connector', { id: loc.connector_id })].filter(Boolean).join(' · ')}</dd>
        <dt>{t('cdrs.token')}</dt>
        <dd>
          {c.cdr_token.uid} ({c.auth_method})
        </dd>
        <dt>{t('cdrs.period')}</dt>
        <dd>
          {dateTime(c.start_date_time, props.timeZone)} – {dateTime(c.end_date_time, props.timeZone)}
        </dd>
        <dt>{t('cdrs.tariff')}</dt>
        <dd>{c.tariffs.map((x) => x.id).join(', ')}</dd>
        {c.remark && (
          <>
            <dt>{t('cdrs.remark')}</dt>
            <dd>{c.remark}</dd>
          </>
        )}
        {c.invoice_reference_id && (
          <>
            <dt>{t('cdrs.invoice')}</dt>
            <dd>{c.invoice_reference_id}</dd>
          </>
        )}
      </dl>
      <CostTable totals={c} caption={t('cdrs.price', { id: c.id })} />
      <table class="periods">
        <caption>{t('cdrs.periods')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('cdrs.periodStart')}</th>
            <th scope="col">{t('cdrs.periodTariff')}</th>
            <th scope="col">{t('cdrs.dimensions')}</th>
          </tr>
        </thead>
        <tbody>
          {c.charging_periods.map((p) => (
            <tr key={p.start_date_time}>
              <td>{dateTime(p.start_date_time, props.timeZone)}</td>
              <td>{p.tariff_id ?? '–'}</td>
              <td>{p.dimensions.map((d) => t(`cdrs.dim.${d.type}`, { v: number(d.volume, 3) })).join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
