// The test eMSP's client side (ocpi_partner.js is the entry point and has the README): the eMSP
// calling Gridlane: the credentials handshake through the operator API, GETs following Link,
// token pushes, commands and charging profiles; every answer's envelope and object checked
// against the specification's field tables. Partner (ocpi_partner.js) extends this class and
// holds the state these methods use.
'use strict';
const crypto = require('node:crypto');
const http = require('node:http');
const { validate, DATETIME } = require('./ocpi_validate');

const VERSION = '2.2.1';
const FUNCTIONAL = new Set(['locations', 'sessions', 'cdrs', 'tariffs', 'tokens', 'commands', 'chargingprofiles']);

const nowIso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const newToken = () => crypto.randomBytes(24).toString('hex');

function encodeToken(token, encoding) {
  return encoding === 'raw' ? token : Buffer.from(token, 'utf8').toString('base64');
}

class PartnerClient {
  gridlaneEndpoint(module, role) {
    const e = this.gridlane && this.gridlane.endpoints[module];
    const url = e && (role ? e[role] : e.SENDER || e.RECEIVER);
    if (!url) throw new Error(`Gridlane's details have no ${module} ${role || ''} endpoint (registered?)`);
    return url;
  }

  // One HTTP request to Gridlane: { status, headers, body, text }. The envelope is checked.
  call(method, url, { body, query, token, routing, headers = {}, raw, encoding } = {}) {
    const target = new URL(url);
    for (const [k, v] of Object.entries(query || {})) if (v !== undefined) target.searchParams.set(k, String(v));
    const tok = token === undefined ? this.tokenToGridlane : token;
    const data = raw !== undefined ? raw : body !== undefined ? JSON.stringify(body) : undefined;
    const h = { 'X-Request-ID': crypto.randomUUID(), 'X-Correlation-ID': crypto.randomUUID(), ...headers };
    if (tok) h.Authorization = `Token ${encodeToken(tok, encoding || this.encoding)}`;
    if (data !== undefined) h['Content-Type'] = 'application/json';
    if (routing && this.gridlane && this.gridlane.party) {
      h['OCPI-from-country-code'] = this.countryCode;
      h['OCPI-from-party-id'] = this.partyId;
      h['OCPI-to-country-code'] = this.gridlane.party.country_code;
      h['OCPI-to-party-id'] = this.gridlane.party.party_id;
    }
    return new Promise((resolve, reject) => {
      const req = http.request(target, { method, headers: h, timeout: 15000 }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d) => { text += d; });
        res.on('end', () => {
          let json;
          try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
          const out = { status: res.statusCode, headers: res.headers, body: json, text, requestId: h['X-Request-ID'] };
          this.checkEnvelope(`${method} ${target.pathname}`, out, h);
          resolve(out);
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${target.href} timed out`)));
      req.on('error', reject);
      if (data !== undefined) req.write(data);
      req.end();
    });
  }

  // Every OCPI answer: the envelope ({data?, status_code, status_message?, timestamp}) and the
  // ids echoed.
  checkEnvelope(where, res, sent) {
    const b = res.body;
    if (b === undefined || b === null || typeof b !== 'object' || Array.isArray(b)) {
      this.violation(where, `answer ${res.status} is not an OCPI envelope: ${res.text.slice(0, 120)}`);
      return;
    }
    if (!Number.isInteger(b.status_code)) this.violation(where, 'envelope without an integer status_code');
    if (typeof b.timestamp !== 'string' || !DATETIME.test(b.timestamp)) this.violation(where, `envelope timestamp ${b.timestamp}`);
    if (b.status_message !== undefined && typeof b.status_message !== 'string') this.violation(where, 'status_message is not a string');
    for (const k of Object.keys(b)) if (!['data', 'status_code', 'status_message', 'timestamp'].includes(k)) this.violation(where, `envelope has an unknown field ${k}`);
    if (res.headers['x-request-id'] !== sent['X-Request-ID']) this.violation(where, `X-Request-ID not echoed (${res.headers['x-request-id']})`);
    if (res.headers['x-correlation-id'] !== sent['X-Correlation-ID']) this.violation(where, `X-Correlation-ID not echoed (${res.headers['x-correlation-id']})`);
  }

  checkAnswer(where, res, type, { list = false } = {}) {
    if (!res.body || res.body.status_code !== 1000 || res.body.data === undefined || res.body.data === null) return;
    const data = res.body.data;
    if (list) {
      if (!Array.isArray(data)) { this.violation(where, 'a list GET answered no list'); return; }
      data.forEach((o, i) => { for (const v of validate(type, o)) this.violation(where, v.problem, undefined, `[${i}].${v.path}`); });
    } else {
      for (const v of validate(type, data)) this.violation(where, v.problem, undefined, v.path);
    }
  }

  // Gridlane's versions and details, fetched with the token Gridlane gave (or token A).
  async discoverGridlane(versionsUrl, roles, token) {
    const versions = await this.call('GET', versionsUrl, { token });
    if (versions.status !== 200 || !versions.body || versions.body.status_code !== 1000) throw new Error(`GET ${versionsUrl}: ${versions.status} ${versions.text.slice(0, 200)}`);
    this.checkAnswer(`GET ${versionsUrl}`, versions, 'Version', { list: true });
    const v = (versions.body.data || []).find((x) => x.version === VERSION);
    if (!v) throw new Error(`Gridlane offers no ${VERSION}: ${versions.text}`);
    const details = await this.call('GET', v.url, { token });
    if (details.status !== 200 || !details.body || details.body.status_code !== 1000) throw new Error(`GET ${v.url}: ${details.status} ${details.text.slice(0, 200)}`);
    const d = details.body.data || {};
    if (d.version !== VERSION) this.violation(`GET ${v.url}`, `details version ${d.version}`);
    const endpoints = {};
    for (const e of d.endpoints || []) {
      for (const p of validate('Endpoint', e)) this.violation(`GET ${v.url}`, p.problem, undefined, `endpoints.${p.path}`);
      endpoints[e.identifier] = { ...(endpoints[e.identifier] || {}), [e.role]: e.url };
    }
    const cpo = (roles || []).find((r) => r.role === 'CPO') || (roles || [])[0];
    this.gridlane = { versionsUrl, version: v.url, endpoints,
                      party: cpo ? { country_code: cpo.country_code, party_id: cpo.party_id } : (this.gridlane && this.gridlane.party) };
    return this.gridlane;
  }

  // The credentials handshake with Gridlane, using its operator API.
  async register(server, { direction = 'partner-first', encoding, name, modules } = {}) {
    if (encoding) this.encoding = encoding;
    const admin = await server.adminToken();
    const create = await server.request('POST', '/api/v1/ocpi/partners', { token: admin,
      body: { name: name || this.businessName, encoding: this.encoding, ...(modules ? { modules } : {}) } });
    if (create.status !== 201 && create.status !== 200) throw new Error(`POST /api/v1/ocpi/partners: ${create.status} ${create.text}`);
    this.partnerId = create.body.id;
    const gridlaneVersions = `http://${server.address}/ocpi/versions`;
    if (direction === 'partner-first') {
      const tokenA = create.body.token || create.body.token_a || (create.body.credentials && create.body.credentials.token);
      if (!tokenA) throw new Error(`POST /api/v1/ocpi/partners answered no token A: ${create.text}`);
      this.tokenA = null;
      await this.discoverGridlane(gridlaneVersions, null, tokenA);
      this.tokenForGridlane = newToken();
      const res = await this.call('POST', this.gridlaneEndpoint('credentials'), { token: tokenA, body: this.credentials(this.tokenForGridlane) });
      if (res.status !== 200 || !res.body || res.body.status_code !== 1000) throw new Error(`POST credentials: ${res.status} ${res.text}`);
      this.checkAnswer('POST credentials', res, 'Credentials');
      const theirs = res.body.data;
      this.tokenToGridlane = theirs.token;
      this.gridlane.party = this.partyOf(theirs.roles);
      this.registeredTokenA = tokenA;
    } else if (direction === 'gridlane-first') {
      this.tokenA = this.tokenA || newToken();
      const reg = await server.request('POST', `/api/v1/ocpi/partners/${this.partnerId}/register`, { token: admin,
        body: { versions_url: this.versionsUrl, token: this.tokenA } });
      if (reg.status < 200 || reg.status >= 300) throw new Error(`POST .../register: ${reg.status} ${reg.text}`);
      if (!this.tokenToGridlane || !this.tokenForGridlane) throw new Error('Gridlane registered without POSTing credentials to the eMSP');
    } else {
      throw new Error(`register: direction is 'partner-first' or 'gridlane-first', not ${direction}`);
    }
    // Once registered, the token the eMSP holds reads the details (its endpoints).
    try {
      await this.discoverGridlane(this.gridlane.versionsUrl, null, this.tokenToGridlane);
    } catch (e) {
      this.violation('register', `the registered token cannot read Gridlane's details: ${e.message}`);
    }
    return { partnerId: this.partnerId, tokenToGridlane: this.tokenToGridlane, tokenForGridlane: this.tokenForGridlane };
  }

  partyOf(roles) {
    const cpo = (roles || []).find((r) => r.role === 'CPO') || (roles || [])[0];
    return cpo ? { country_code: cpo.country_code, party_id: cpo.party_id } : null;
  }

  // PUT credentials: the eMSP gives Gridlane a new token and gets a new one back.
  async rotate() {
    const next = newToken();
    // Gridlane fetches the eMSP's versions and details with the token of the PUT before it
    // answers (credentials.asciidoc, PUT): the eMSP accepts it from the moment it sends it.
    this.offeredTokenForGridlane = next;
    let res;
    try {
      res = await this.call('PUT', this.gridlaneEndpoint('credentials'), { body: this.credentials(next) });
    } finally {
      this.offeredTokenForGridlane = null;
    }
    if (res.status === 200 && res.body && res.body.status_code === 1000) {
      this.checkAnswer('PUT credentials', res, 'Credentials');
      this.previousTokenToGridlane = this.tokenToGridlane;
      this.tokenForGridlane = next;
      this.tokenToGridlane = res.body.data.token;
    }
    return res;
  }

  async unregister() {
    const res = await this.call('DELETE', this.gridlaneEndpoint('credentials'));
    if (res.status === 200 && res.body && res.body.status_code === 1000) this.tokenForGridlane = null;
    return res;
  }

  // GET below a module of Gridlane ('locations/LOC1/EVSE1', or an absolute URL), checked.
  async get(path, query) {
    let url = path;
    let module = null;
    if (!/^https?:/.test(path)) {
      const [m, ...rest] = path.replace(/^\//, '').split('/');
      module = m;
      // Gridlane's Sender endpoint of the module, or its Receiver one (tokens, hubclientinfo).
      const e = this.gridlane && this.gridlane.endpoints[m];
      url = this.gridlaneEndpoint(m, e && e.SENDER ? 'SENDER' : 'RECEIVER') + (rest.length ? '/' + rest.join('/') : '');
    } else {
      for (const [m, e] of Object.entries(this.gridlane ? this.gridlane.endpoints : {})) if (Object.values(e).some((u) => url.startsWith(u))) module = m;
    }
    const res = await this.call('GET', url, { query, routing: FUNCTIONAL.has(module) });
    const below = !/^https?:/.test(path) ? path.replace(/^\//, '').split('/').slice(1).filter(Boolean) : [];
    const type = { locations: ['Location', 'EVSE', 'Connector'][Math.max(0, below.length - 1)], sessions: 'Session', cdrs: 'CDR',
                   tariffs: 'Tariff', tokens: 'Token', hubclientinfo: 'ClientInfo' }[module];
    if (type) this.checkAnswer(`GET ${url}`, res, type, { list: below.length === 0 && module !== 'tokens' && module !== 'hubclientinfo' });
    return res;
  }

  // Every page of a module's list, following Link rel="next": { items, pages: [responses] }.
  async getAll(module, query = {}, { maxPages = 1000, keep = false } = {}) {
    const items = [];
    const pages = [];
    let res = await this.get(module, query);
    for (let n = 0; ; n++) {
      pages.push(res);
      if (res.status !== 200 || !res.body || res.body.status_code !== 1000) break;
      if (!Array.isArray(res.body.data)) break;
      items.push(...res.body.data);
      if (res.headers['x-total-count'] === undefined) this.violation(`GET ${module}`, 'paged answer without X-Total-Count');
      if (res.headers['x-limit'] === undefined) this.violation(`GET ${module}`, 'paged answer without X-Limit');
      const limit = Number(res.headers['x-limit']);
      if (Number.isFinite(limit) && res.body.data.length > limit) this.violation(`GET ${module}`, `a page of ${res.body.data.length} above X-Limit ${limit}`);
      const link = res.headers.link;
      const next = link && /<([^>]+)>\s*;\s*rel="?next"?/.exec(link);
      if (next) {
        const nextUrl = new URL(next[1]);
        for (const k of ['date_from', 'date_to']) {
          if (query[k] !== undefined && nextUrl.searchParams.get(k) !== String(query[k])) this.violation(`GET ${module}`, `Link rel="next" lost the ${k} filter: ${next[1]}`);
        }
      }
      if (!next || n + 1 >= maxPages) break;
      res = await this.get(next[1]);
    }
    const last = pages[pages.length - 1];
    const total = last && last.headers['x-total-count'] !== undefined ? Number(last.headers['x-total-count']) : undefined;
    // { keep: true }: the eMSP keeps what it pulled (a full sync), so later PATCHes find their object.
    if (keep && module === 'locations') {
      for (const l of items) this.store.locations.set(`${l.country_code}/${l.party_id}/${l.id}`.toUpperCase(), l);
    }
    return { items, pages, total };
  }

  // PUT a Token (the eMSP's, defaults filled) at Gridlane's tokens Receiver; kept as the eMSP's own.
  async pushToken(token) {
    const t = { country_code: this.countryCode, party_id: this.partyId, type: 'RFID',
                contract_id: `${this.countryCode}-${this.partyId}-C${token.uid}`.slice(0, 36), issuer: this.businessName,
                valid: true, whitelist: 'ALLOWED', last_updated: nowIso(), ...token };
    t.uid = String(t.uid);
    this.tokens.set(t.uid, t);
    const url = `${this.gridlaneEndpoint('tokens', 'RECEIVER')}/${encodeURIComponent(t.country_code)}/${encodeURIComponent(t.party_id)}/${encodeURIComponent(t.uid)}`;
    return this.call('PUT', url, { body: t, query: { type: t.type }, routing: true });
  }

  async patchToken(uid, patch) {
    const t = this.tokens.get(uid) || { country_code: this.countryCode, party_id: this.partyId, type: 'RFID' };
    const body = { last_updated: nowIso(), ...patch };
    Object.assign(t, body);
    const url = `${this.gridlaneEndpoint('tokens', 'RECEIVER')}/${encodeURIComponent(t.country_code)}/${encodeURIComponent(t.party_id)}/${encodeURIComponent(uid)}`;
    return this.call('PATCH', url, { body, query: { type: t.type }, routing: true });
  }

  // POST a command at Gridlane with a response_url of the eMSP. `result(ms)` waits for the
  // CommandResult Gridlane posts there.
  async command(type, body = {}) {
    const ref = crypto.randomUUID();
    this.pendingCommands.add(ref);
    const full = { response_url: `${this.endpointUrl('commands')}/${type}/${ref}`, ...body };
    const res = await this.call('POST', `${this.gridlaneEndpoint('commands', 'RECEIVER')}/${type}`, { body: full, routing: true });
    this.checkAnswer(`POST commands/${type}`, res, 'CommandResponse');
    return { response: res, ref, responseUrl: full.response_url,
             result: (ms = 10000) => this.waitFor((p) => p.store.commandResults.get(ref), ms) };
  }

  // Charging profiles at Gridlane (the eMSP/SCSP as Sender): PUT SetChargingProfile, GET the
  // active profile, DELETE; each with a response_url of the eMSP. `result(ms)` waits for what
  // Gridlane POSTs there.
  async chargingProfile(method, sessionId, { profile, duration } = {}) {
    const ref = crypto.randomUUID();
    const responseUrl = `${this.endpointUrl('chargingprofiles')}/results/${ref}`;
    this.pendingProfiles.set(ref, method);
    const url = `${this.gridlaneEndpoint('chargingprofiles', 'RECEIVER')}/${encodeURIComponent(sessionId)}`;
    let res;
    if (method === 'PUT') res = await this.call('PUT', url, { body: { charging_profile: profile, response_url: responseUrl }, routing: true });
    else if (method === 'GET') res = await this.call('GET', url, { query: { duration: duration ?? 900, response_url: responseUrl }, routing: true });
    else res = await this.call('DELETE', url, { query: { response_url: responseUrl }, routing: true });
    this.checkAnswer(`${method} chargingprofiles/${sessionId}`, res, 'ChargingProfileResponse');
    return { response: res, ref, responseUrl, result: (ms = 10000) => this.waitFor((p) => p.store.profileResults.get(ref), ms) };
  }

  // A hub's ClientInfo pushed to Gridlane (the partner registered with role HUB).
  async pushClientInfo(info) {
    const c = { party_id: this.partyId, country_code: this.countryCode, role: 'EMSP', status: 'CONNECTED', last_updated: nowIso(), ...info };
    const url = `${this.gridlaneEndpoint('hubclientinfo', 'RECEIVER')}/${encodeURIComponent(c.country_code)}/${encodeURIComponent(c.party_id)}`;
    return this.call('PUT', url, { body: c });
  }
}

module.exports = { PartnerClient, VERSION, FUNCTIONAL, nowIso, newToken, encodeToken };
