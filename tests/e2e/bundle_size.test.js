// The bundle budgets of issue 13: the console's JS + CSS at most 300 KB gzipped, the driver
// portal's at most 120 KB. Each page's files are what its HTML loads and what those load in turn
// (static and lazy imports, Vite's preload lists), gzipped here at level 9. Needs `npm run build`
// in web/ first (WEB_DIST overrides the directory). The sizes are printed with the verdict.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const DIST = process.env.WEB_DIST || path.resolve(__dirname, '../../web/dist');
const BUDGETS = [
  { page: 'console', html: 'index.html', limit: 300 * 1000 },
  { page: 'driver portal', html: 'drive/index.html', limit: 120 * 1000 },
];

// Paths of JS and CSS files named in a text: "/assets/x.js", "./x.js", "assets/x.css".
function references(text) {
  const out = new Set();
  for (const m of text.matchAll(/(?:\/assets\/|\.\/|assets\/)([\w.~-]+\.(?:js|mjs|css))/g)) out.add(m[1]);
  return out;
}

// Every JS and CSS file under assets/ a page reaches from its HTML.
function pageFiles(html) {
  const seen = new Set();
  const queue = [...references(fs.readFileSync(path.join(DIST, html), 'utf8'))];
  while (queue.length) {
    const name = queue.shift();
    if (seen.has(name)) continue;
    const file = path.join(DIST, 'assets', name);
    if (!fs.existsSync(file)) continue;
    seen.add(name);
    if (name.endsWith('.js') || name.endsWith('.mjs')) queue.push(...references(fs.readFileSync(file, 'utf8')));
  }
  return [...seen].sort();
}

function gzipped(name) {
  return zlib.gzipSync(fs.readFileSync(path.join(DIST, 'assets', name)), { level: 9 }).length;
}

for (const { page, html, limit } of BUDGETS) {
  test(`the ${page}'s JS and CSS stay within ${limit / 1000} KB gzipped`, (t) => {
    assert.ok(fs.existsSync(path.join(DIST, html)), `${html} is built (cd web && npm run build)`);
    const files = pageFiles(html);
    assert.ok(files.some((f) => f.endsWith('.js')), `${html} loads a script`);
    let total = 0;
    for (const f of files) total += gzipped(f);
    const line = `bundle: ${page}: ${(total / 1000).toFixed(1)} KB gzipped JS+CSS in ${files.length} files ` +
      `(budget ${limit / 1000} KB)`;
    t.diagnostic(line);
    assert.ok(total <= limit, line);
  });
}
