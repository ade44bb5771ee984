// Small wordings shared by the driver pages: statuses, connectors, the price of a tariff.
import { t } from '../lib/i18n';
import { locale } from '../lib/i18n';
import { powerW } from '../lib/format';
import { describeTariff, type PlainPrice, type Tariff } from './price';
import type { Connector } from './types';

const priceFormats = new Map<string, Intl.NumberFormat>();

/** A unit price: at least 2 and at most 4 decimals ("€0.4641 per kWh" is what is billed). */
function unitMoney(amount: string, currency: string): string {
  const key = `${locale()}|${currency}`;
  let f = priceFormats.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale(), { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 });
    priceFormats.set(key, f);
  }
  return f.format(Number(amount));
}

export function plainPrice(tariff: Tariff | null | undefined): PlainPrice {
  return describeTariff(tariff, { t, money: unitMoney });
}

export const KNOWN_STATUSES = ['Available', 'Occupied', 'Charging', 'Faulted', 'Unavailable', 'Reserved', 'Offline'];

export function statusLabel(status: string): string {
  if (KNOWN_STATUSES.includes(status)) return t(`drive.status.${status}`);
  return !status || status === 'Unknown' ? t('drive.status.unknown') : status;
}

export const CONNECTORS = ['IEC_62196_T2', 'IEC_62196_T2_COMBO', 'CHADEMO', 'IEC_62196_T1', 'IEC_62196_T1_COMBO', 'DOMESTIC_F'];

export function connectorLabel(c: Connector): string {
  const standard = c.standard && CONNECTORS.includes(c.standard) ? t(`drive.connector.${c.standard}`) : c.standard || t('drive.connector.unknown');
  return c.max_power_w ? t('drive.connector.line', { standard, power: powerW(c.max_power_w, 0) }) : standard;
}
