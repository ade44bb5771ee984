// The test eMSP: an OCPI 2.2.1 partner over real HTTP for Gridlane's integration tests.
//
//   const { startPartner } = require('./ocpi_partner');
//   const server = await startServer({ config: ocpiConfig() });   // harness.js; ocpiConfig() below
//   const emsp = await startPartner({ countryCode: 'NL', partyId: 'EMS' });
//   await emsp.register(server, { direction: 'partner-first', encoding: 'base64' });
//   ... emsp.getAll('locations'), emsp.pushToken({ uid: 'CARD1' }), emsp.command('START_SESSION', {...})
//   await emsp.waitFor((p) => p.received('locations', 'PATCH').length > 0, 5000);
//   assert.deepEqual(emsp.violations, []);                        // everything Gridlane sent conforms
//   await emsp.stop();
//
// What it is. A node:http server on 127.0.0.1 (a free port) with:
//   GET  /ocpi/emsp/versions, /ocpi/emsp/2.2.1     its versions and details (below)
//   credentials      GET/POST/PUT/DELETE          the handshake both ways, rotation, unregistration
//   locations        RECEIVER GET/PUT/PATCH       /{cc}/{pid}/{location_id}[/{evse_uid}[/{connector_id}]]
//   sessions         RECEIVER GET/PUT/PATCH       /{cc}/{pid}/{session_id}
//   cdrs             RECEIVER POST (+ GET of the URL it answers in Location)
//   tariffs          RECEIVER GET/PUT/DELETE      /{cc}/{pid}/{tariff_id}
//   tokens           SENDER   GET (paged) and POST /{uid}/authorize[?type=] (answer and delay configurable)
//   commands         SENDER   (+ the response_url receiver: POST /commands/{TYPE}/{ref} = CommandResult)
//   chargingprofiles SENDER   PUT /{session_id} (ActiveChargingProfile), POST /chargingprofiles/results/{ref}
// (The calls to Gridlane are in ocpi_partner_client.js.) It stores what it receives (PUT
// replaces, PATCH merges) in `emsp.store` and records EVERY request in `emsp.requests` (in arrival order: { seq, at, method, path, module, segments, query, headers,
// body, raw, answered }). Every request and object from Gridlane is checked (ocpi_validate.js:
// the spec's field tables; headers: Authorization in the agreed encoding, X-Request-ID,
// X-Correlation-ID, routing headers on functional modules only, the party in the URL = the
// object's) and every problem lands in `emsp.violations` ({ where, path, problem, seq }): tests
// assert it stays empty. Answers of Gridlane to the partner's own calls are checked the same way.
//
// Helpers:
//   register(server, { direction, encoding, name, modules })   the credentials handshake:
//     direction 'partner-first': the operator creates a Planned partner (POST /api/v1/ocpi/partners,
//       which answers token A once); the eMSP GETs Gridlane's versions/details with A and POSTs its
//       credentials (token B); Gridlane fetches the eMSP's versions with B and answers token C.
//     direction 'gridlane-first': the eMSP issues token A (emsp.tokenA); the operator creates the
//       partner and POST /api/v1/ocpi/partners/{id}/register {versions_url, token}: Gridlane GETs
//       the eMSP's versions/details with A and POSTs its credentials; the eMSP answers a new token.
//     encoding 'base64' (2.2.1) or 'raw': how the eMSP sends its token and expects Gridlane's.
//   rotate() (PUT credentials with a new token), unregister() (DELETE credentials)
//   call(method, url, { body, query, routing, token, headers })  one request to Gridlane
//   get(path, query) ('locations/LOC1' or a URL), getAll(module, query) following Link rel="next"
//   pushToken(token) PUT of a Token at Gridlane (defaults filled), patchToken(uid, patch)
//   command(type, body) POST /commands/{type} with a response_url: { response, ref, result(ms) }
//   chargingProfile('PUT'|'GET'|'DELETE', sessionId, { profile, duration }): { response, ref, result(ms) }
//   pushClientInfo(info) PUT of a hub's ClientInfo (start the partner with role: 'HUB')
//   authorize = { answer: 'ALLOWED' | (uid, body, type) => AuthorizationInfo | { status, status_code },
//                 delayMs }                                  what POST {uid}/authorize answers
//   intercept = (request) => null | { status, status_code, status_message }  force an answer
//   down('503' | 'refuse' | 'hang'), up()                    the partner unavailable and back
//   assertConforms(assert)                                   no violation so far (a readable message)
//   waitFor(predicate(emsp), timeoutMs), received(module, method), objects(module)
//   stop()
'use strict';
const http = require('node:http');
const { validate } = require('./ocpi_validate');
const { PartnerClient, VERSION, FUNCTIONAL, nowIso, newToken, encodeToken } = require('./ocpi_partner_client');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The [ocpi] block of a test configuration (Gridlane is DE*GRL unless told otherwise).
function ocpiConfig(overrides = {}) {
  const values = { enabled: true, country_code: 'DE', party_id: 'GRL', retry_min_ms: 200, retry_max_ms: 2000,
                   realtime_auth_timeout_ms: 1000, allow_plain_http_to_loopback: true, ...overrides };
  const lines = ['[ocpi]'];
  for (const [k, v] of Object.entries(values)) lines.push(`${k} = ${typeof v === 'string' ? JSON.stringify(v) : v}`);
  return lines.join('\n') + '\n';
}

// The object a module's request carries, by module, method and the segments below the endpoint.
function objectTypeOf(module, method, segments) {
  const n = segments.length;
  switch (module) {
    case 'locations':
      if (method !== 'PUT' && method !== 'PATCH') return null;
      return n === 3 ? 'Location' : n === 4 ? 'EVSE' : n === 5 ? 'Connector' : null;
    case 'sessions': return (method === 'PUT' || method === 'PATCH') && n === 3 ? 'Session' : null;
    case 'cdrs': return method === 'POST' && n === 0 ? 'CDR' : null;
    case 'tariffs': return (method === 'PUT' || method === 'PATCH') && n === 3 ? 'Tariff' : null;
    case 'commands': return method === 'POST' ? 'CommandResult' : null;
    case 'tokens': return method === 'POST' && segments[1] === 'authorize' ? 'LocationReferences' : null;
    case 'credentials': return method === 'POST' || method === 'PUT' ? 'Credentials' : null;
    default: return null;
  }
}

class Partner extends PartnerClient {
  constructor(options = {}) {
    super();
    this.countryCode = options.countryCode || 'NL';
    this.partyId = options.partyId || 'EMS';
    this.businessName = options.businessName || 'Test eMSP';
    this.role = options.role || 'EMSP';
    this.encoding = options.encoding || 'base64';
    this.requests = [];
    this.violations = [];
    this.store = { locations: new Map(), sessions: new Map(), cdrs: new Map(), tariffs: new Map(),
                   commandResults: new Map(), profileResults: new Map(), activeProfiles: new Map() };
    this.tokens = new Map(); // the eMSP's own tokens (Sender): uid -> Token
    this.authorize = { answer: 'ALLOWED', delayMs: 0 };
    this.tokenA = newToken();     // what Gridlane uses before the handshake (gridlane-first)
    this.tokenForGridlane = null; // what Gridlane calls the eMSP with after the handshake
    this.offeredTokenForGridlane = null; // the token of a PUT of credentials in flight (rotate())
    this.tokenToGridlane = null;  // what the eMSP calls Gridlane with
    this.gridlane = null;         // { versionsUrl, endpoints: { module: { SENDER, RECEIVER } }, party }
    this.mode = 'up';
    this.hung = [];
    this.pendingCommands = new Set();
    this.pendingProfiles = new Map(); // response_url ref -> the method that gave it
    this.seq = 0;
    this.sockets = new Set();
    this.waiters = new Set();
    this.server = http.createServer((req, res) => this.onRequest(req, res));
    this.server.on('connection', (s) => { this.sockets.add(s); s.on('close', () => this.sockets.delete(s)); });
  }

  async listen(port = 0) {
    await new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => { this.server.off('error', reject); resolve(); });
    });
    this.port = this.server.address().port;
    this.base = `http://127.0.0.1:${this.port}/ocpi/emsp`;
    this.versionsUrl = `${this.base}/versions`;
    return this;
  }

  party() { return { country_code: this.countryCode, party_id: this.partyId }; }

  endpointUrl(module) { return `${this.base}/${VERSION}/${module}`; }

  versionDetails() {
    const e = (identifier, role) => ({ identifier, role, url: this.endpointUrl(identifier) });
    return { version: VERSION, endpoints: [
      e('credentials', 'SENDER'), e('credentials', 'RECEIVER'),
      e('locations', 'RECEIVER'), e('sessions', 'RECEIVER'), e('cdrs', 'RECEIVER'), e('tariffs', 'RECEIVER'),
      e('tokens', 'SENDER'), e('commands', 'SENDER'), e('chargingprofiles', 'SENDER'),
    ] };
  }

  credentials(token) {
    return { token, url: this.versionsUrl,
             roles: [{ role: this.role, ...this.party(), business_details: { name: this.businessName } }] };
  }

  violation(where, problem, seq, path) {
    this.violations.push({ where, path, problem, seq });
  }

  // ---- the server side: what Gridlane calls ----

  onRequest(req, res) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let raw = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url, `http://127.0.0.1:${this.port}`);
      const entry = { seq: ++this.seq, at: Date.now(), method: req.method, url: req.url, path: url.pathname,
                      query: Object.fromEntries(url.searchParams), headers: req.headers, raw, body: undefined,
                      module: null, segments: [], answered: null };
      if (raw) {
        try { entry.body = JSON.parse(raw); } catch { this.violation(`${req.method} ${url.pathname}`, 'body is not JSON', entry.seq); }
      }
      const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
      // ocpi/emsp/versions | ocpi/emsp/2.2.1[/module/...]
      if (parts[0] === 'ocpi' && parts[1] === 'emsp') {
        if (parts[2] === 'versions') entry.module = 'versions';
        else if (parts[2] === VERSION) { entry.module = parts[3] || 'details'; entry.segments = parts.slice(4); }
      }
      this.requests.push(entry);
      const answer = (status, envelope, headers = {}) => {
        entry.answered = status;
        this.respond(req, res, status, envelope, headers);
        this.notify();
      };
      if (this.mode === 'hang') { entry.answered = 'hang'; this.hung.push(res); this.notify(); return; }
      if (this.mode === '503') { entry.answered = 503; res.writeHead(503, { 'content-type': 'text/plain' }); res.end('down for the test'); this.notify(); return; }
      Promise.resolve()
        .then(() => this.route(entry, answer))
        .catch((e) => answer(500, { status_code: 3000, status_message: `test eMSP failed: ${e.message}` }));
    });
  }

  respond(req, res, status, envelope, headers) {
    const body = JSON.stringify({ ...envelope, timestamp: nowIso() });
    const out = { 'content-type': 'application/json', ...headers };
    if (req.headers['x-request-id']) out['X-Request-ID'] = req.headers['x-request-id'];
    if (req.headers['x-correlation-id']) out['X-Correlation-ID'] = req.headers['x-correlation-id'];
    res.writeHead(status, out);
    res.end(body);
  }

  checkHeaders(entry) {
    const h = entry.headers;
    const where = `${entry.method} ${entry.path}`;
    if (!h['x-request-id']) this.violation(where, 'no X-Request-ID header', entry.seq);
    if (!h['x-correlation-id']) this.violation(where, 'no X-Correlation-ID header', entry.seq);
    const routing = ['ocpi-to-country-code', 'ocpi-to-party-id', 'ocpi-from-country-code', 'ocpi-from-party-id'];
    if (FUNCTIONAL.has(entry.module)) {
      for (const name of routing) if (!h[name]) this.violation(where, `no ${name} header on a functional module`, entry.seq);
      if (h['ocpi-to-country-code'] && (h['ocpi-to-country-code'].toUpperCase() !== this.countryCode.toUpperCase()
          || String(h['ocpi-to-party-id']).toUpperCase() !== this.partyId.toUpperCase())) {
        this.violation(where, `OCPI-to is ${h['ocpi-to-country-code']}*${h['ocpi-to-party-id']}, not this eMSP`, entry.seq);
      }
      if (this.gridlane && this.gridlane.party && h['ocpi-from-country-code']
          && (h['ocpi-from-country-code'].toUpperCase() !== this.gridlane.party.country_code.toUpperCase()
              || String(h['ocpi-from-party-id']).toUpperCase() !== this.gridlane.party.party_id.toUpperCase())) {
        this.violation(where, `OCPI-from is ${h['ocpi-from-country-code']}*${h['ocpi-from-party-id']}, not Gridlane's party`, entry.seq);
      }
    } else {
      for (const name of routing) if (h[name]) this.violation(where, `routing header ${name} on a configuration module`, entry.seq);
    }
    if (entry.body !== undefined && !/application\/json/i.test(h['content-type'] || '')) {
      this.violation(where, `Content-Type ${h['content-type']} on a JSON body`, entry.seq);
    }
  }

  // Which of the eMSP's tokens the request carries (null: none of them).
  authenticate(entry) {
    const m = /^Token (.+)$/.exec(entry.headers.authorization || '');
    if (!m) return null;
    const sent = m[1].trim();
    const expected = (t) => t && sent === encodeToken(t, this.encoding);
    if (expected(this.tokenForGridlane)) return 'registered';
    // The token of a PUT of credentials still in flight (rotate()): only for versions and details.
    if (expected(this.offeredTokenForGridlane)) return 'offered';
    if (expected(this.tokenA)) return 'tokenA';
    // The right token in the other encoding: Gridlane ignored the partner's encoding.
    const other = this.encoding === 'raw' ? 'base64' : 'raw';
    for (const t of [this.tokenForGridlane, this.offeredTokenForGridlane, this.tokenA]) {
      if (t && sent === encodeToken(t, other)) {
        this.violation(`${entry.method} ${entry.path}`, `token sent ${other}, the partner's encoding is ${this.encoding}`, entry.seq);
      }
    }
    return null;
  }

  async route(entry, answer) {
    const ok = (data, headers) => answer(200, { data, status_code: 1000 }, headers);
    // status_codes.asciidoc: 201 when the pushed object is new, 200 when it replaced one.
    entry.created = (data, headers) => answer(201, { data, status_code: 1000 }, headers);
    const fail = (status, code, message) => answer(status, { status_code: code, status_message: message });
    if (!entry.module) return fail(404, 2000, 'no such path at the test eMSP');
    this.checkHeaders(entry);
    const who = this.authenticate(entry);
    if (!who) return fail(401, 2000, 'unknown token');
    if (who === 'offered' && !['versions', 'details'].includes(entry.module)) {
      this.violation(`${entry.method} ${entry.path}`, 'the token of a PUT in flight used outside versions/details', entry.seq);
      return fail(401, 2000, 'the new token is only for versions and details until the PUT is answered');
    }
    if (who === 'tokenA' && !['versions', 'details', 'credentials'].includes(entry.module)) {
      this.violation(`${entry.method} ${entry.path}`, 'token A used outside versions/credentials', entry.seq);
      return fail(401, 2000, 'token A is only for versions and credentials');
    }
    if (this.intercept) {
      const forced = await this.intercept(entry);
      if (forced) return answer(forced.status || 200, { status_code: forced.status_code || 2000, status_message: forced.status_message || 'refused by the test' });
    }
    const type = objectTypeOf(entry.module, entry.method, entry.segments);
    if (type && entry.body !== undefined) {
      const partial = entry.method === 'PATCH';
      for (const v of validate(type, entry.body, { partial })) this.violation(`${entry.method} ${entry.path} ${type}`, v.problem, entry.seq, v.path);
      this.checkParty(entry, type);
    } else if (type && type !== 'LocationReferences') {
      this.violation(`${entry.method} ${entry.path}`, `no ${type} body`, entry.seq);
    }
    switch (entry.module) {
      case 'versions': return ok([{ version: VERSION, url: `${this.base}/${VERSION}` }]);
      case 'details': return ok(this.versionDetails());
      case 'credentials': return this.onCredentials(entry, who, ok, fail);
      case 'locations': return this.onLocations(entry, ok, fail);
      case 'sessions': case 'tariffs': return this.onPartyObject(entry, ok, fail);
      case 'cdrs': return this.onCdrs(entry, ok, fail);
      case 'tokens': return this.onTokens(entry, answer, ok, fail);
      case 'commands': return this.onCommandResult(entry, ok, fail);
      case 'chargingprofiles': return this.onChargingProfiles(entry, ok, fail);
      default: return fail(404, 2000, `the test eMSP has no ${entry.module} module`);
    }
  }

  // The party in the URL of a client-owned object must be the object's (and Gridlane's party).
  checkParty(entry, type) {
    const [cc, pid, id] = entry.segments;
    const b = entry.body || {};
    const where = `${entry.method} ${entry.path}`;
    if (!['Location', 'EVSE', 'Connector', 'Session', 'Tariff'].includes(type)) return;
    if (b.country_code !== undefined && String(b.country_code).toUpperCase() !== String(cc).toUpperCase()) this.violation(where, `country_code ${b.country_code} is not the URL's ${cc}`, entry.seq);
    if (b.party_id !== undefined && String(b.party_id).toUpperCase() !== String(pid).toUpperCase()) this.violation(where, `party_id ${b.party_id} is not the URL's ${pid}`, entry.seq);
    if (this.gridlane && this.gridlane.party && (String(cc).toUpperCase() !== this.gridlane.party.country_code.toUpperCase() || String(pid).toUpperCase() !== this.gridlane.party.party_id.toUpperCase())) {
      this.violation(where, `URL party ${cc}*${pid} is not Gridlane's`, entry.seq);
    }
    const idField = { Location: 'id', Session: 'id', Tariff: 'id', EVSE: 'uid', Connector: 'id' }[type];
    const urlId = type === 'EVSE' ? entry.segments[3] : type === 'Connector' ? entry.segments[4] : id;
    if (entry.method === 'PUT' && b[idField] !== undefined && String(b[idField]) !== String(urlId)) this.violation(where, `${idField} ${b[idField]} is not the URL's ${urlId}`, entry.seq);
  }

  async onCredentials(entry, who, ok, fail) {
    const m = entry.method;
    if (m === 'GET') return ok(this.credentials(this.tokenForGridlane || this.tokenA));
    if (m === 'DELETE') {
      if (!this.tokenForGridlane) return fail(405, 2000, 'not registered');
      this.tokenForGridlane = null;
      this.tokenToGridlane = null;
      this.unregisteredByGridlane = true;
      return ok(null);
    }
    if (m === 'POST' && who === 'registered') return fail(405, 2000, 'already registered: use PUT');
    if (m === 'PUT' && who !== 'registered') return fail(405, 2000, 'not registered: use POST');
    if (m !== 'POST' && m !== 'PUT') return fail(405, 2000, 'method not allowed');
    const body = entry.body || {};
    if (typeof body.token !== 'string' || typeof body.url !== 'string') return fail(400, 2001, 'credentials need token and url');
    // The receiving side fetches the sender's versions and details with the token it was given.
    this.tokenToGridlane = body.token;
    try {
      await this.discoverGridlane(body.url, body.roles);
    } catch (e) {
      this.violation(`${m} ${entry.path}`, `could not fetch Gridlane's versions with its token: ${e.message}`, entry.seq);
      return fail(200, 3001, `cannot reach ${body.url}`);
    }
    this.tokenForGridlane = newToken();
    this.tokenA = null; // token A is no longer valid after the handshake
    return ok(this.credentials(this.tokenForGridlane));
  }

  onLocations(entry, ok, fail) {
    const [cc, pid, locId, evseUid, connId] = entry.segments;
    if (!locId) return fail(400, 2001, 'locations needs /{cc}/{pid}/{location_id}');
    const key = `${cc}/${pid}/${locId}`.toUpperCase();
    const store = this.store.locations;
    const loc = store.get(key);
    const evse = loc && evseUid ? (loc.evses || []).find((e) => e.uid === evseUid) : undefined;
    const conn = evse && connId ? (evse.connectors || []).find((c) => c.id === connId) : undefined;
    const target = connId ? conn : evseUid ? evse : loc;
    if (entry.method === 'GET') return target ? ok(target) : fail(404, 2003, 'unknown location object');
    // PUT objects are held as copies: later PATCHes must not rewrite the recorded request.
    const body = entry.method === 'PUT' ? structuredClone(entry.body || {}) : entry.body || {};
    if (entry.method === 'PUT') {
      const isNew = !target;
      if (!evseUid) store.set(key, body);
      else if (!loc) return fail(404, 2003, 'PUT below an unknown location');
      else if (!connId) {
        loc.evses = (loc.evses || []).filter((e) => e.uid !== evseUid).concat([body]);
        loc.last_updated = body.last_updated;
      } else if (!evse) return fail(404, 2003, 'PUT below an unknown EVSE');
      else {
        evse.connectors = (evse.connectors || []).filter((c) => c.id !== connId).concat([body]);
        evse.last_updated = loc.last_updated = body.last_updated;
      }
      return isNew ? entry.created(null) : ok(null);
    }
    if (entry.method === 'PATCH') {
      if (!target) return fail(404, 2003, 'PATCH of an unknown location object');
      Object.assign(target, body);
      if (loc && body.last_updated) loc.last_updated = body.last_updated;
      if (evse && connId && body.last_updated) evse.last_updated = body.last_updated;
      return ok(null);
    }
    return fail(405, 2000, 'method not allowed');
  }

  onPartyObject(entry, ok, fail) {
    const [cc, pid, id] = entry.segments;
    if (!id || entry.segments.length !== 3) return fail(400, 2001, `${entry.module} needs /{cc}/{pid}/{id}`);
    const key = `${cc}/${pid}/${id}`.toUpperCase();
    const store = this.store[entry.module];
    if (entry.method === 'GET') return store.has(key) ? ok(store.get(key)) : fail(404, 2000, 'unknown object');
    if (entry.method === 'PUT') {
      const isNew = !store.has(key);
      // A copy: later PATCHes merge into what is held, never into the recorded request.
      store.set(key, structuredClone(entry.body));
      return isNew ? entry.created(null) : ok(null);
    }
    if (entry.method === 'PATCH') {
      if (!store.has(key)) return fail(404, 2000, 'PATCH of an unknown object');
      const current = store.get(key);
      const patch = { ...(entry.body || {}) };
      // mod_sessions PATCH: charging_periods are added to the existing ones, never replace them.
      if (entry.module === 'sessions' && Array.isArray(patch.charging_periods)) {
        patch.charging_periods = [...(current.charging_periods || []), ...patch.charging_periods];
      }
      Object.assign(current, patch);
      return ok(null);
    }
    if (entry.method === 'DELETE' && entry.module === 'tariffs') { store.delete(key); return ok(null); }
    return fail(405, 2000, 'method not allowed');
  }

  onCdrs(entry, ok, fail) {
    if (entry.method === 'POST' && entry.segments.length === 0) {
      const cdr = entry.body || {};
      const key = `${cdr.country_code}/${cdr.party_id}/${cdr.id}`.toUpperCase();
      if (this.store.cdrs.has(key)) this.violation(`POST ${entry.path}`, `CDR ${cdr.id} POSTed more than once`, entry.seq);
      this.store.cdrs.set(key, cdr);
      const location = `${this.endpointUrl('cdrs')}/${encodeURIComponent(cdr.country_code)}/${encodeURIComponent(cdr.party_id)}/${encodeURIComponent(cdr.id)}`;
      return entry.created(null, { Location: location });
    }
    if (entry.method === 'GET' && entry.segments.length === 3) {
      const key = entry.segments.join('/').toUpperCase();
      return this.store.cdrs.has(key) ? ok(this.store.cdrs.get(key)) : fail(404, 2000, 'unknown CDR');
    }
    return fail(405, 2000, 'method not allowed');
  }

  async onTokens(entry, answer, ok, fail) {
    if (entry.method === 'GET' && entry.segments.length === 0) {
      const all = [...this.tokens.values()];
      const offset = Number(entry.query.offset || 0);
      const limit = Math.min(Number(entry.query.limit || 100), 100);
      const page = all.slice(offset, offset + limit);
      const headers = { 'X-Total-Count': String(all.length), 'X-Limit': '100' };
      if (offset + limit < all.length) headers.Link = `<${this.endpointUrl('tokens')}?offset=${offset + limit}&limit=${limit}>; rel="next"`;
      return ok(page, headers);
    }
    if (entry.method === 'POST' && entry.segments[1] === 'authorize' && entry.segments.length === 2) {
      const uid = entry.segments[0];
      const type = entry.query.type || 'RFID';
      if (this.authorize.delayMs) await sleep(this.authorize.delayMs);
      const a = this.authorize.answer;
      const token = this.tokens.get(uid);
      let info;
      if (typeof a === 'function') info = await a(uid, entry.body, type);
      else if (!token) return fail(404, 2004, 'unknown token');
      else info = { allowed: a, token };
      if (info && info.status) return answer(info.status, { status_code: info.status_code || 2004, status_message: 'refused by the test' });
      if (info && !info.token && token) info.token = token;
      return ok(info);
    }
    return fail(405, 2000, 'method not allowed');
  }

  onCommandResult(entry, ok, fail) {
    // response_url: /commands/{TYPE}/{ref}
    if (entry.method !== 'POST' || entry.segments.length !== 2) return fail(405, 2000, 'method not allowed');
    const ref = entry.segments[1];
    if (!this.pendingCommands.has(ref)) this.violation(`POST ${entry.path}`, 'CommandResult for a response_url the eMSP never gave', entry.seq);
    else if (this.store.commandResults.has(ref)) this.violation(`POST ${entry.path}`, 'CommandResult posted twice', entry.seq);
    this.store.commandResults.set(ref, entry.body);
    return ok(null);
  }

  onChargingProfiles(entry, ok, fail) {
    const s = entry.segments;
    if (entry.method === 'POST' && s[0] === 'results' && s.length === 2) {
      const body = entry.body || {};
      const asked = this.pendingProfiles.get(s[1]);
      if (!asked) this.violation(`POST ${entry.path}`, 'a charging profile result for a response_url the eMSP never gave', entry.seq);
      else if (this.store.profileResults.has(s[1])) this.violation(`POST ${entry.path}`, 'a charging profile result posted twice', entry.seq);
      const type = { GET: 'ActiveChargingProfileResult', DELETE: 'ClearProfileResult' }[asked] || 'ChargingProfileResult';
      for (const v of validate(type, body)) this.violation(`POST ${entry.path} ${type}`, v.problem, entry.seq, v.path);
      this.store.profileResults.set(s[1], body);
      return ok(null);
    }
    if (entry.method === 'PUT' && s.length === 1) {
      for (const v of validate('ActiveChargingProfile', entry.body)) this.violation(`PUT ${entry.path} ActiveChargingProfile`, v.problem, entry.seq, v.path);
      this.store.activeProfiles.set(s[0], entry.body);
      return ok(null);
    }
    return fail(405, 2000, 'method not allowed');
  }

  // ---- availability ----

  // '503': every request answered 503 without an envelope; 'refuse': the port closed (connections
  // refused); 'hang': requests accepted and never answered (until up()).
  async down(mode = '503') {
    if (mode === 'refuse') {
      await new Promise((resolve) => { this.server.close(() => resolve()); for (const s of this.sockets) s.destroy(); });
    }
    this.mode = mode;
  }

  async up() {
    if (this.mode === 'refuse') {
      this.server = this.rebuildServer();
      await this.listen(this.port);
    }
    for (const res of this.hung || []) { try { res.destroy(); } catch { /* already gone */ } }
    this.hung = [];
    this.mode = 'up';
  }

  rebuildServer() {
    const s = http.createServer((req, res) => this.onRequest(req, res));
    s.on('connection', (c) => { this.sockets.add(c); c.on('close', () => this.sockets.delete(c)); });
    return s;
  }

  // ---- waiting and reading what arrived ----

  notify() { for (const w of [...this.waiters]) w(); }

  // Resolves with the predicate's first truthy value; rejects after timeoutMs listing what arrived.
  waitFor(predicate, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        let v;
        try { v = predicate(this); } catch (e) { finish(); reject(e); return; }
        if (v) { finish(); resolve(v); }
      };
      const timer = setTimeout(() => {
        finish();
        const seen = this.requests.slice(-20).map((r) => `${r.method} ${r.path} -> ${r.answered}`).join('\n  ');
        reject(new Error(`test eMSP: condition not met within ${timeoutMs} ms; last requests:\n  ${seen}`));
      }, timeoutMs);
      const poll = setInterval(check, 50);
      const finish = () => { clearTimeout(timer); clearInterval(poll); this.waiters.delete(check); };
      this.waiters.add(check);
      check();
    });
  }

  // The requests Gridlane made to a module (optionally one method), in arrival order.
  received(module, method) {
    return this.requests.filter((r) => r.module === module && (!method || r.method === method));
  }

  // What the eMSP holds of a module ('locations', 'sessions', 'cdrs', 'tariffs'), e.g.
  // objects('sessions').find((s) => s.id === '42').
  objects(module) { return [...this.store[module].values()]; }

  // Fails the test with every violation recorded so far, one a line.
  assertConforms(assert, message = 'everything Gridlane sent conforms to OCPI 2.2.1') {
    const lines = this.violations.map((v) => `#${v.seq ?? '-'} ${v.where}${v.path ? ' ' + v.path : ''}: ${v.problem}`);
    assert.deepEqual(lines, [], message);
  }

  async stop() {
    await this.up().catch(() => {});
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(() => resolve()));
  }
}

async function startPartner(options = {}) {
  const p = new Partner(options);
  await p.listen(options.port || 0);
  return p;
}

module.exports = { startPartner, Partner, ocpiConfig, encodeToken, nowIso };
