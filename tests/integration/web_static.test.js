// The web console's files served by `gridlane serve` (docs/console.md "Serving the console"):
// headers, CSP, caching and ETag/304, precompressed gzip, history routing, refused traversal,
// HEAD and 405, and the page shown when the console is not built. A fixture dist of our own.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');
const zlib = require('node:zlib');
const { startServer, tempDir } = require('./harness');

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
  "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

const INDEX = '<!doctype html><html><head><title>console</title></head><body>console page</body></html>\n';
const DRIVE = '<!doctype html><html><head><title>drive</title></head><body>driver page</body></html>\n';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});\n`; // > 1 KiB: has a .gz twin

// A dist like Vite's, plus a secret beside it and a symbolic link pointing out to it.
function fixture() {
  const dir = tempDir();
  const root = path.join(dir, 'dist');
  fs.mkdirSync(path.join(root, 'assets'), { recursive: true });
  fs.mkdirSync(path.join(root, 'drive'));
  fs.writeFileSync(path.join(root, 'index.html'), INDEX);
  fs.writeFileSync(path.join(root, 'drive', 'index.html'), DRIVE);
  fs.writeFileSync(path.join(root, 'assets', 'index-AbC123.js'), SCRIPT);
  fs.writeFileSync(path.join(root, 'assets', 'index-AbC123.js.gz'), zlib.gzipSync(SCRIPT));
  fs.writeFileSync(path.join(root, 'assets', 'index-Def456.css'), 'body{color:#111}\n');
  fs.writeFileSync(path.join(root, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  fs.writeFileSync(path.join(root, '.hidden'), 'not served\n');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'TOP SECRET\n');
  fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(root, 'leak.txt'));
  fs.symlinkSync(dir, path.join(root, 'up'));
  return { dir, root };
}

// A raw GET/HEAD/...: the path is sent exactly as given; the body kept as bytes.
function get(server, urlPath, { method = 'GET', headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, method, path: urlPath, headers, agent: false },
      (res) => {
        const chunks = [];
        res.on('data', (d) => chunks.push(d));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode, headers: res.headers, body, text: body.toString('utf8') });
        });
      });
    req.on('error', reject);
    req.end();
  });
}

function assertSecurityHeaders(res, what) {
  assert.equal(res.headers['content-security-policy'], CSP, `${what}: CSP`);
  assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
  assert.equal(res.headers['referrer-policy'], 'no-referrer', `${what}: referrer policy`);
}

test('the console, its assets and its headers', async (t) => {
  const { dir, root } = fixture();
  const server = await startServer({ dir, config: `[web]\nroot = "${root}"\n` });
  t.after(() => server.stop());

  const index = await get(server, '/');
  assert.equal(index.status, 200);
  assert.equal(index.text, INDEX);
  assert.equal(index.headers['content-type'], 'text/html; charset=utf-8');
  assert.equal(index.headers['cache-control'], 'no-cache');
  assert.match(index.headers.etag, /^"[0-9a-f]{16}-\d+"$/);
  assertSecurityHeaders(index, '/');

  const js = await get(server, '/assets/index-AbC123.js');
  assert.equal(js.status, 200);
  assert.equal(js.text, SCRIPT, 'no Accept-Encoding: the plain file');
  assert.equal(js.headers['content-type'], 'text/javascript; charset=utf-8');
  assert.equal(js.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(js.headers['content-encoding'], undefined);
  assert.equal(js.headers.vary, 'Accept-Encoding');
  assertSecurityHeaders(js, 'asset');

  const css = await get(server, '/assets/index-Def456.css');
  assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
  assert.equal(css.headers.vary, undefined, 'no .gz twin, no Vary');
  const svg = await get(server, '/favicon.svg');
  assert.equal(svg.headers['content-type'], 'image/svg+xml');
  assert.equal(svg.headers['cache-control'], 'no-cache', 'outside /assets/ nothing is immutable');

  const zipped = await get(server, '/assets/index-AbC123.js', { headers: { 'accept-encoding': 'br, gzip;q=0.8' } });
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zlib.gunzipSync(zipped.body).toString('utf8'), SCRIPT);
  assert.ok(zipped.body.length < SCRIPT.length / 4, 'the precompressed bytes are sent');
  assert.notEqual(zipped.headers.etag, js.headers.etag, 'each encoding has its own validator');
  const refused = await get(server, '/assets/index-AbC123.js', { headers: { 'accept-encoding': 'gzip;q=0, br' } });
  assert.equal(refused.headers['content-encoding'], undefined, 'gzip;q=0 is not accepted');
  assert.equal(refused.text, SCRIPT);
});

test('ETag revalidation answers 304 without a body', async (t) => {
  const { dir, root } = fixture();
  const server = await startServer({ dir, config: `[web]\nroot = "${root}"\n` });
  t.after(() => server.stop());
  const first = await get(server, '/');
  const again = await get(server, '/', { headers: { 'if-none-match': first.headers.etag } });
  assert.equal(again.status, 304);
  assert.equal(again.body.length, 0);
  assert.equal(again.headers.etag, first.headers.etag);
  const weak = await get(server, '/', { headers: { 'if-none-match': `"other", W/${first.headers.etag}` } });
  assert.equal(weak.status, 304, 'a list with a weak form of the tag matches');
  const stale = await get(server, '/', { headers: { 'if-none-match': '"0000000000000000-1"' } });
  assert.equal(stale.status, 200);
  assert.equal(stale.text, INDEX);
  // The gzip representation revalidates against its own tag.
  const zipped = await get(server, '/assets/index-AbC123.js', { headers: { 'accept-encoding': 'gzip' } });
  const zipped304 = await get(server, '/assets/index-AbC123.js',
    { headers: { 'accept-encoding': 'gzip', 'if-none-match': zipped.headers.etag } });
  assert.equal(zipped304.status, 304);
  const plainWithZipTag = await get(server, '/assets/index-AbC123.js', { headers: { 'if-none-match': zipped.headers.etag } });
  assert.equal(plainWithZipTag.status, 200, 'the plain file is not the gzip one');
});

test('history routing: the console and the driver portal answer their page for their paths', async (t) => {
  const { dir, root } = fixture();
  const server = await startServer({ dir, config: `[web]\nroot = "${root}"\n` });
  t.after(() => server.stop());
  for (const p of ['/stations', '/stations/CP-1?tab=frames', '/sessions/42', '/drivex']) {
    const res = await get(server, p);
    assert.equal(res.status, 200, p);
    assert.equal(res.text, INDEX, `${p} is the console's page`);
    assert.equal(res.headers['cache-control'], 'no-cache');
  }
  for (const p of ['/drive', '/drive/', '/drive/evse/DE*GRL*E1', '/drive/sessions/7']) {
    const res = await get(server, p);
    assert.equal(res.status, 200, p);
    assert.equal(res.text, DRIVE, `${p} is the driver portal's page`);
  }
  // Not pages: a missing hashed asset, the server's own paths, the API's unknown paths.
  const missingAsset = await get(server, '/assets/index-Gone99.js');
  assert.equal(missingAsset.status, 404);
  assert.equal(missingAsset.headers['content-type'], 'application/problem+json');
  for (const p of ['/api', '/api/v2/stations', '/ocpp', '/health/x', '/debug/stations/x/call']) {
    const res = await get(server, p);
    assert.equal(res.status, 404, p);
    assert.equal(res.headers['content-type'], 'application/problem+json', p);
  }
  // The server's own mounts are unchanged.
  assert.equal((await get(server, '/health')).status, 200);
  const api = await get(server, '/api/v1/stations');
  assert.equal(api.status, 401, 'the API still answers under /api/v1');
});

test('paths out of the root, encoded or not, are refused 404', async (t) => {
  const { dir, root } = fixture();
  const server = await startServer({ dir, config: `[web]\nroot = "${root}"\n` });
  t.after(() => server.stop());
  const hostile = [
    '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt',
    '/assets/..%2f..%2fsecret.txt', '/index.html%00.js', '/%00', '/assets%5c..%5c..%5csecret.txt',
    '/./index.html', '/assets//index-AbC123.js', '/%zz', '/%',
    '/leak.txt', '/up/secret.txt', '/.hidden',
  ];
  for (const p of hostile) {
    const res = await get(server, p);
    assert.ok(!res.text.includes('TOP SECRET'), `${p} does not leak the file outside the root`);
    assert.ok(!res.text.includes('not served'), `${p} does not serve a dot-file`);
  }
  // Traversal and bad escapes are refused outright (no page in their place); a target that is
  // no URL path at all ('%' without two hex digits) is refused 400 before any mount sees it.
  for (const p of hostile.slice(0, 12)) {
    const res = await get(server, p);
    const malformed = ['/%zz', '/%'].includes(p);
    assert.equal(res.status, malformed ? 400 : 404, p);
    assert.equal(res.headers['content-type'], 'application/problem+json', p);
    if (!malformed) assertSecurityHeaders(res, p);
  }
  assert.match(server.stderr, /leak\.txt leads out of the web root/);
});

test('HEAD has the headers of GET and no body; other methods are answered 405', async (t) => {
  const { dir, root } = fixture();
  const server = await startServer({ dir, config: `[web]\nroot = "${root}"\n` });
  t.after(() => server.stop());
  const head = await get(server, '/assets/index-AbC123.js', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.equal(Number(head.headers['content-length']), Buffer.byteLength(SCRIPT));
  assert.equal(head.headers['cache-control'], 'public, max-age=31536000, immutable');
  const headPage = await get(server, '/stations', { method: 'HEAD' });
  assert.equal(Number(headPage.headers['content-length']), Buffer.byteLength(INDEX));
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
    const res = await get(server, '/index.html', { method });
    assert.equal(res.status, 405, method);
    assert.equal(res.headers.allow, 'GET, HEAD');
    assert.equal(res.headers['content-type'], 'application/problem+json');
  }
});

test('a missing web root: / says how to build the console; the API still works', async (t) => {
  const dir = tempDir();
  const missing = path.join(dir, 'no-such-dist');
  const server = await startServer({ dir, config: `[web]\nroot = "${missing}"\n` });
  t.after(() => server.stop());
  const res = await get(server, '/');
  assert.equal(res.status, 200);
  assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
  assert.match(res.text, /not built/);
  assert.match(res.text, /npm run build/);
  assert.ok(res.text.includes(missing), 'names the directory it looked in');
  assertSecurityHeaders(res, 'not-built page');
  assert.equal((await get(server, '/stations')).status, 200, 'history paths show the same page');
  assert.equal((await get(server, '/assets/x.js')).status, 404);
  assert.match(server.stderr, /web console not built/);
  assert.equal((await get(server, '/api/v1/stations')).status, 401);
});

test('[web] enabled = false: nothing is served under / but the server\'s own paths', async (t) => {
  const { dir, root } = fixture();
  const server = await startServer({ dir, config: `[web]\nenabled = false\nroot = "${root}"\n` });
  t.after(() => server.stop());
  const res = await get(server, '/');
  assert.equal(res.status, 404);
  assert.equal(res.headers['content-type'], 'application/problem+json');
  assert.equal((await get(server, '/health')).status, 200);
});

test('serve --web-root DIR serves that build; an empty [web] root is refused at startup', async (t) => {
  const { spawn, spawnSync } = require('node:child_process');
  const { BIN } = require('./harness');
  const { dir, root } = fixture();
  const proc = spawn(BIN, ['--db', path.join(dir, 'flag.db'), 'serve', '--listen', '127.0.0.1:0', '--web-root', root],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  t.after(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  const address = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start')), 15000);
    proc.stdout.on('data', (d) => { out += d; const m = out.match(/listening on (\S+)/); if (m) { clearTimeout(timer); resolve(m[1]); } });
  });
  const res = await get({ port: Number(address.split(':').pop()) }, '/sessions');
  assert.equal(res.status, 200);
  assert.equal(res.text, INDEX);
  proc.kill('SIGTERM');
  assert.equal(await exited, 0);

  const config = path.join(dir, 'empty-root.toml');
  fs.writeFileSync(config, '[web]\nroot = ""\n');
  const refused = spawnSync(BIN, ['--db', path.join(dir, 'x.db'), '--config', config, 'serve', '--listen', '127.0.0.1:0'],
    { encoding: 'utf8', timeout: 15000 });
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /web\.root must not be empty/);
});
