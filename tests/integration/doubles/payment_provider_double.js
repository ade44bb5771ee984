// A TEST DOUBLE of a card payment provider: a local HTTP server (127.0.0.1, a random port) that
// speaks the documented Stripe PaymentIntents endpoints Gridlane uses, with manual capture:
//   POST /v1/payment_intents                 create + confirm (capture_method=manual)
//   POST /v1/payment_intents/{id}/capture    amount_to_capture
//   POST /v1/payment_intents/{id}/cancel
//   POST /v1/refunds                         payment_intent, amount
// It is not Stripe and moves no money. It records every request and its Idempotency-Key; a
// request repeating a key gets the first answer again (with the same body, header
// Idempotent-Replayed: true); the same key with different parameters is a 400 idempotency_error,
// as the documented API does. Test payment methods: pm_card_visa (authorised),
// pm_card_chargeDeclined (402 card_declined). Faults for tests: failNext(n, status) answers the
// next n requests with that status without doing anything; dropNextAnswer() does the next
// request's work and then closes the connection without answering (money moved, the caller
// never heard).
'use strict';
const http = require('node:http');
const crypto = require('node:crypto');

class PaymentProviderDouble {
  constructor({ secretKey = 'sk_test_double' } = {}) {
    this.secretKey = secretKey;
    this.requests = []; // { method, path, key, form, replayed }
    this.answers = new Map(); // idempotency key -> { fingerprint, status, body }
    this.intents = new Map();
    this.refunds = new Map();
    this.faults = [];
    this.drop = 0;
  }

  async start() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${this.server.address().port}`;
    return this;
  }

  async stop() {
    this.server.closeAllConnections?.();
    await new Promise((resolve) => this.server.close(resolve));
  }

  failNext(n = 1, status = 500) { for (let i = 0; i < n; i++) this.faults.push(status); }
  dropNextAnswer() { this.drop++; }
  keysFor(path) { return this.requests.filter((r) => r.path === path).map((r) => r.key); }
  calls(pattern) { return this.requests.filter((r) => pattern.test(r.path)); }

  handle(req, res) {
    let raw = '';
    req.on('data', (d) => { raw += d; if (raw.length > 1 << 20) req.destroy(); });
    req.on('end', () => {
      const key = req.headers['idempotency-key'] || null;
      const form = Object.fromEntries(new URLSearchParams(raw));
      const record = { method: req.method, path: req.url, key, form, replayed: false };
      this.requests.push(record);
      const send = (status, body, headers = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      if (req.headers.authorization !== `Bearer ${this.secretKey}`)
        return send(401, { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } });
      if (this.faults.length) {
        const status = this.faults.shift();
        return send(status, { error: { type: 'api_error', message: `double: injected HTTP ${status}` } });
      }
      const fingerprint = `${req.method} ${req.url} ${raw}`;
      if (key && this.answers.has(key)) {
        const first = this.answers.get(key);
        record.replayed = true;
        if (first.fingerprint !== fingerprint)
          return send(400, { error: { type: 'idempotency_error',
            message: 'Keys for idempotent requests can only be used with the same parameters they were first used with.' } });
        return send(first.status, first.body, { 'Idempotent-Replayed': 'true' });
      }
      const [status, body] = this.route(req.method, req.url, form);
      if (key) this.answers.set(key, { fingerprint, status, body });
      if (this.drop > 0) { this.drop--; req.socket.destroy(); return; }
      send(status, body);
    });
  }

  route(method, url, form) {
    if (method !== 'POST') return [405, { error: { type: 'invalid_request_error', message: 'POST only' } }];
    let m;
    if (url === '/v1/payment_intents') return this.create(form);
    if ((m = url.match(/^\/v1\/payment_intents\/([A-Za-z0-9_]+)\/capture$/))) return this.capture(m[1], form);
    if ((m = url.match(/^\/v1\/payment_intents\/([A-Za-z0-9_]+)\/cancel$/))) return this.cancel(m[1], form);
    if (url === '/v1/refunds') return this.refund(form);
    return [404, { error: { type: 'invalid_request_error', message: `Unrecognized request URL (POST: ${url})` } }];
  }

  invalid(message, param) {
    return [400, { error: { type: 'invalid_request_error', message, param } }];
  }

  create(form) {
    const amount = Number(form.amount);
    if (!/^[0-9]+$/.test(form.amount || '') || amount < 1) return this.invalid('Invalid integer: amount', 'amount');
    if (!/^[a-z]{3}$/.test(form.currency || '')) return this.invalid('Invalid currency', 'currency');
    if (!form.payment_method) return this.invalid('Missing payment_method', 'payment_method');
    const pi = {
      id: 'pi_' + crypto.randomBytes(12).toString('hex'),
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency: form.currency,
      capture_method: form.capture_method || 'automatic',
      payment_method: form.payment_method,
      metadata: Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith('metadata[')).map(([k, v]) => [k.slice(9, -1), v])),
      status: 'requires_payment_method',
    };
    this.intents.set(pi.id, pi);
    if (form.confirm === 'true') {
      if (form.payment_method === 'pm_card_chargeDeclined') {
        return [402, { error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline',
          message: 'Your card was declined.', payment_intent: { ...pi } } }];
      }
      if (pi.capture_method === 'manual') {
        pi.status = 'requires_capture';
        pi.amount_capturable = amount;
      } else {
        pi.status = 'succeeded';
        pi.amount_received = amount;
      }
    }
    return [200, { ...pi }];
  }

  capture(id, form) {
    const pi = this.intents.get(id);
    if (!pi) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${id}'` } }];
    if (pi.status !== 'requires_capture')
      return [400, { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state',
        message: `This PaymentIntent could not be captured because it has a status of ${pi.status}.` } }];
    const amount = form.amount_to_capture === undefined ? pi.amount_capturable : Number(form.amount_to_capture);
    if (!Number.isInteger(amount) || amount < 1 || amount > pi.amount_capturable)
      return this.invalid('amount_to_capture must be at most the amount capturable', 'amount_to_capture');
    pi.amount_received = amount;
    pi.amount_capturable = 0; // the rest of the hold is released
    pi.status = 'succeeded';
    return [200, { ...pi }];
  }

  cancel(id) {
    const pi = this.intents.get(id);
    if (!pi) return [404, { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such payment_intent: '${id}'` } }];
    if (pi.status === 'succeeded' || pi.status === 'canceled')
      return [400, { error: { type: 'invalid_request_error', code: 'payment_intent_unexpected_state',
        message: `You cannot cancel this PaymentIntent because it has a status of ${pi.status}.` } }];
    pi.status = 'canceled';
    pi.amount_capturable = 0;
    return [200, { ...pi }];
  }

  refund(form) {
    const pi = this.intents.get(form.payment_intent);
    if (!pi) return this.invalid('No such payment_intent', 'payment_intent');
    const refunded = [...this.refunds.values()].filter((r) => r.payment_intent === pi.id).reduce((s, r) => s + r.amount, 0);
    const amount = form.amount === undefined ? pi.amount_received - refunded : Number(form.amount);
    if (pi.status !== 'succeeded') return this.invalid('This PaymentIntent has no charge to refund', 'payment_intent');
    if (!Number.isInteger(amount) || amount < 1 || amount + refunded > pi.amount_received)
      return this.invalid('Refund amount is greater than the unrefunded amount', 'amount');
    const refund = { id: 're_' + crypto.randomBytes(12).toString('hex'), object: 'refund', amount, currency: pi.currency,
      payment_intent: pi.id, status: 'succeeded' };
    this.refunds.set(refund.id, refund);
    return [200, { ...refund }];
  }
}

module.exports = { PaymentProviderDouble };
