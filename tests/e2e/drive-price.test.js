// The driver portal's price in plain words (web/src/drive/price.ts), checked outside the browser:
// the TypeScript module and the en/de/nl catalogues are compiled with the web project's own
// TypeScript, then imported. Money is formatted with Intl in the language's locale, as the page does.
'use strict';
const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const { loadTs: load } = require('./typescript');

let price;
const catalogues = {};
const LOCALES = { en: 'en-GB', de: 'de-DE', nl: 'nl-NL' };
before(async () => {
  price = await load('src/drive/price.ts');
  for (const lang of Object.keys(LOCALES)) catalogues[lang] = (await load(`src/i18n/${lang}/drive.ts`)).default;
});

function words(lang) {
  const t = (key, params) => {
    const text = catalogues[lang][key] ?? catalogues.en[key];
    assert.ok(text !== undefined, `catalogue has ${key}`);
    return params ? text.replace(/\{(\w+)\}/g, (m, n) => (n in params ? String(params[n]) : m)) : text;
  };
  const money = (amount, currency) =>
    new Intl.NumberFormat(LOCALES[lang], { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(amount);
  // Intl puts no-break spaces between amount and symbol; the assertions below write plain ones.
  return { t, money: (amount, currency) => money(amount, currency).replace(/[\u00a0\u202f]/g, ' ') };
}

const tariff = (elements, extra = {}) => ({ country_code: 'DE', party_id: 'GRL', id: 't', currency: 'EUR', elements, ...extra });
const c = (type, p, more = {}) => ({ type, price: p, step_size: 1, ...more });

test('the example of the issue, in English, German and Dutch', () => {
  const t = tariff([
    { price_components: [c('ENERGY', 0.39), c('FLAT', 0.5)] },
    { price_components: [c('TIME', 6.0)], restrictions: { min_duration: 7200 } },
  ]);
  assert.equal(price.describeTariff(t, words('en')).text, '€0.39 per kWh, €0.50 to start, €0.10 per minute after 2 hours');
  assert.equal(price.describeTariff(t, words('de')).text, '0,39 € pro kWh, 0,50 € pro Ladevorgang, 0,10 € pro Minute nach 2 Stunden');
  assert.equal(price.describeTariff(t, words('nl')).text, '€ 0,39 per kWh, € 0,50 starttarief, € 0,10 per minuut na 2 uur');
  assert.equal(price.describeTariff(t, words('en')).inclVat, false, 'no VAT rate named: the amounts are as stored');
});

test('prices include VAT exactly, to four decimals at most', () => {
  const t = tariff([{ price_components: [c('ENERGY', 0.39, { vat: 19 }), c('FLAT', 1, { vat: 19 })] }]);
  const r = price.describeTariff(t, words('en'));
  // 0.39 x 1.19 = 0.4641 exactly; 1.00 x 1.19 = 1.19
  assert.equal(r.text, '€0.4641 per kWh, €1.19 to start');
  assert.equal(r.inclVat, true);
  // 0.333333 x 1.07 = 0.35666631 -> 0.3567 (half up), never a float artefact
  const odd = price.describeTariff(tariff([{ price_components: [c('ENERGY', 0.333333, { vat: 7 })] }]), words('en'));
  assert.equal(odd.text, '€0.3567 per kWh');
  assert.equal(price.scaledText(price.toScaled('0.1') + price.toScaled('0.2'), 4), '0.3000');
});

test('an idle fee after a free grace period reads as "after" the grace period', () => {
  const t = tariff([
    { price_components: [c('ENERGY', 0.39)] },
    { price_components: [c('PARKING_TIME', 0)], restrictions: { max_duration: 14400 } },
    { price_components: [c('PARKING_TIME', 6.0, { step_size: 900 })] },
  ]);
  assert.equal(price.describeTariff(t, words('en')).text, '€0.39 per kWh, €0.10 per minute when not charging after 4 hours');
  assert.equal(price.describeTariff(t, words('de')).text, '0,39 € pro kWh, 0,10 € pro Minute ohne Laden nach 4 Stunden');
});

test('time of day: the restricted price with its hours, the fallback "otherwise"', () => {
  const t = tariff([
    { price_components: [c('ENERGY', 0.29)], restrictions: { start_time: '22:00', end_time: '06:00' } },
    { price_components: [c('ENERGY', 0.39)] },
  ]);
  assert.equal(price.describeTariff(t, words('en')).text, '€0.29 per kWh from 22:00 to 06:00, €0.39 per kWh otherwise');
  assert.equal(price.describeTariff(t, words('nl')).text, '€ 0,29 per kWh van 22:00 tot 06:00, € 0,39 per kWh anders');
});

test('a time price that is no whole cent per minute is given per hour; days, power and bounds', () => {
  const t = tariff(
    [
      { price_components: [c('TIME', 1.0)], restrictions: { max_current: 32 } },
      { price_components: [c('TIME', 1.25)], restrictions: { day_of_week: ['SATURDAY', 'SUNDAY'], min_power: 50 } },
    ],
    { max_price: { excl_vat: 20, incl_vat: 23.8 } },
  );
  assert.equal(
    price.describeTariff(t, words('en')).text,
    '€1.00 per hour below 32 A, €1.25 per hour on Saturday, Sunday at 50 kW or more, at most €23.80 per session',
  );
});

test('after an unrestricted element OCPI looks no further; zero prices and no tariff', () => {
  const t = tariff([{ price_components: [c('ENERGY', 0.3)] }, { price_components: [c('ENERGY', 0.5)], restrictions: { min_kwh: 10 } }]);
  assert.equal(price.describeTariff(t, words('en')).text, '€0.30 per kWh');
  assert.equal(price.describeTariff(tariff([{ price_components: [c('ENERGY', 0)] }]), words('de')).text, 'Kostenlos');
  assert.equal(price.describeTariff(null, words('nl')).text, 'Geen prijs gepubliceerd');
  assert.deepEqual(price.describeTariff(null, words('en')).phrases, []);
});

test('every key of the English driver catalogue exists in German and Dutch', () => {
  for (const lang of ['de', 'nl']) {
    const missing = Object.keys(catalogues.en).filter((k) => !(k in catalogues[lang]));
    assert.deepEqual(missing, [], `${lang} lacks no driver portal message`);
    const extra = Object.keys(catalogues[lang]).filter((k) => !(k in catalogues.en));
    assert.deepEqual(extra, [], `${lang} has no message English lacks`);
  }
});
