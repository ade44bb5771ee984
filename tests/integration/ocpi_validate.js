// Checks OCPI 2.2.1 objects against the specification's field tables (ocpi_spec_tables.json,
// generated from the asciidoc by ocpi_spec_tables.gen.js): required fields, cardinality, types,
// string lengths, enums, no field the table does not have. Used by the test eMSP
// (ocpi_partner.js) on everything Gridlane sends and answers.
//
//   const { validate } = require('./ocpi_validate');
//   validate('Location', obj)                 -> [] or [{ path: 'evses[0].status', problem: '...' }]
//   validate('EVSE', patch, { partial: true }) -> a PATCH: only the fields present, last_updated required
'use strict';
const tables = require('./ocpi_spec_tables.json');

const objectsByLower = new Map(Object.entries(tables.objects).map(([k, v]) => [k.toLowerCase(), v]));
const enumsByLower = new Map(Object.entries(tables.enums).map(([k, v]) => [k.toLowerCase(), v]));

// types.asciidoc: DateTime is RFC 3339 in UTC, "Z" optional, no offset.
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$/;
// CiString: case-insensitive, printable ASCII. string: any UTF-8, length in characters.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

// Field-specific rules the tables state in their descriptions.
const EXTRA = {
  'GeoLocation.latitude': [/^-?[0-9]{1,2}\.[0-9]{5,7}$/, 'latitude must match -?[0-9]{1,2}\\.[0-9]{5,7}'],
  'GeoLocation.longitude': [/^-?[0-9]{1,3}\.[0-9]{5,7}$/, 'longitude must match -?[0-9]{1,3}\\.[0-9]{5,7}'],
  'AdditionalGeoLocation.latitude': [/^-?[0-9]{1,2}\.[0-9]{5,7}$/, 'latitude must match -?[0-9]{1,2}\\.[0-9]{5,7}'],
  'AdditionalGeoLocation.longitude': [/^-?[0-9]{1,3}\.[0-9]{5,7}$/, 'longitude must match -?[0-9]{1,3}\\.[0-9]{5,7}'],
  'Location.country': [/^[A-Z]{3}$/, 'country must be ISO 3166-1 alpha-3'],
  'CdrLocation.country': [/^[A-Z]{3}$/, 'country must be ISO 3166-1 alpha-3'],
  'Location.country_code': [/^[A-Za-z]{2}$/, 'country_code must be ISO 3166 alpha-2'],
  'Location.party_id': [/^[A-Za-z0-9]{3}$/, 'party_id must be 3 characters'],
  'Session.currency': [/^[A-Z]{3}$/, 'currency must be ISO 4217'],
  'CDR.currency': [/^[A-Z]{3}$/, 'currency must be ISO 4217'],
  'Tariff.currency': [/^[A-Z]{3}$/, 'currency must be ISO 4217'],
  'DisplayText.language': [/^[a-z]{2}$/, 'language must be ISO 639-1'],
};

function lookupObject(type) { return objectsByLower.get(String(type).toLowerCase()); }
function lookupEnum(type) { return enumsByLower.get(String(type).toLowerCase()); }

function checkValue(type, length, value, path, out, options) {
  const problem = (p) => out.push({ path, problem: p });
  switch (type) {
    case 'string':
    case 'CiString':
      if (typeof value !== 'string') return problem(`expected ${type}, got ${JSON.stringify(value)}`);
      if (length !== undefined && [...value].length > length) problem(`longer than ${length} characters (${[...value].length})`);
      if (type === 'CiString' && !PRINTABLE_ASCII.test(value)) problem('CiString must be printable ASCII');
      return;
    case 'URL':
      if (typeof value !== 'string') return problem(`expected URL, got ${JSON.stringify(value)}`);
      if (value.length > 255) problem('URL longer than 255 characters');
      if (!/^https?:\/\/[^\s]+$/.test(value)) problem(`not an absolute http(s) URL: ${value}`);
      return;
    case 'DateTime':
      if (typeof value !== 'string' || value.length > 25 || !DATETIME.test(value) || Number.isNaN(Date.parse(value.endsWith('Z') ? value : value + 'Z'))) {
        problem(`not an OCPI DateTime (RFC 3339 UTC, string(25)): ${JSON.stringify(value)}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problem(`expected boolean, got ${JSON.stringify(value)}`);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) problem(`expected int, got ${JSON.stringify(value)}`);
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) problem(`expected number, got ${JSON.stringify(value)}`);
      return;
    default:
      break;
  }
  const values = lookupEnum(type);
  if (values) {
    if (typeof value !== 'string' || !values.includes(value)) problem(`not a ${type} value: ${JSON.stringify(value)}`);
    return;
  }
  const object = lookupObject(type);
  if (object) {
    checkObject(type, object, value, path, out, options);
    return;
  }
  problem(`validator does not know type ${type}`);
}

function checkObject(typeName, table, value, path, out, { partial = false } = {}) {
  const prefix = path ? path + '.' : '';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    out.push({ path: path || '(root)', problem: `expected a ${typeName} object, got ${JSON.stringify(value)}` });
    return;
  }
  for (const key of Object.keys(value)) {
    if (!table.fields[key]) out.push({ path: prefix + key, problem: `${typeName} has no field ${key}` });
  }
  for (const [name, field] of Object.entries(table.fields)) {
    const present = Object.prototype.hasOwnProperty.call(value, name) && value[name] !== undefined;
    const v = value[name];
    const where = prefix + name;
    if (!present || v === null) {
      if (!partial && (field.card === '1' || field.card === '+')) out.push({ path: where, problem: 'required' });
      if (present && v === null && (field.card === '1' || field.card === '+')) out.push({ path: where, problem: 'null for a required field' });
      continue;
    }
    if (field.card === '*' || field.card === '+') {
      if (!Array.isArray(v)) { out.push({ path: where, problem: `expected a list of ${field.type}` }); continue; }
      if (field.card === '+' && v.length === 0) out.push({ path: where, problem: 'needs at least one element' });
      // A partial object (PATCH) still carries whole elements in its lists.
      v.forEach((x, i) => checkValue(field.type, field.length, x, `${where}[${i}]`, out, {}));
    } else {
      if (Array.isArray(v)) { out.push({ path: where, problem: `expected one ${field.type}, got a list` }); continue; }
      checkValue(field.type, field.length, v, where, out, {});
    }
    const extra = EXTRA[`${typeName}.${name}`];
    if (extra && typeof v === 'string' && !extra[0].test(v)) out.push({ path: where, problem: extra[1] });
  }
}

// validate(type, value, { partial }) -> list of { path, problem } (empty: conforms).
// partial: a PATCH body: the fields present are checked, only last_updated is required.
function validate(type, value, { partial = false } = {}) {
  const out = [];
  const table = lookupObject(type);
  if (!table) return [{ path: '(root)', problem: `validator does not know object ${type}` }];
  checkObject(type, table, value, '', out, { partial });
  if (partial && table.fields.last_updated && (value === null || typeof value !== 'object' || value.last_updated === undefined)) {
    out.push({ path: 'last_updated', problem: 'a PATCH must contain last_updated' });
  }
  return out;
}

module.exports = { validate, tables, DATETIME };
