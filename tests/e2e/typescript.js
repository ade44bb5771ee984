// The pages' pure TypeScript modules, tested in Node without a browser: a module of web/src is
// compiled with the web project's own TypeScript (transpiled alone, as Vite does) and imported.
// Only modules without imports of their own can be loaded this way.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const WEB = path.resolve(__dirname, '../../web');
const ts = require(path.join(WEB, 'node_modules/typescript'));

/** The module at `rel` (relative to web/, e.g. 'src/drive/price.ts'), compiled and imported. */
async function loadTs(rel) {
  const source = fs.readFileSync(path.join(WEB, rel), 'utf8');
  const out = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 } });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gridlane-ts-'));
  const file = path.join(dir, path.basename(rel).replace(/\.ts$/, '.mjs'));
  fs.writeFileSync(file, out.outputText);
  try {
    return await import(pathToFileURL(file).href);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

module.exports = { loadTs, WEB };
