// After `vite build`: writes NAME.gz beside every text file of dist/ over 1 KiB, which
// `gridlane serve` sends with Content-Encoding: gzip to browsers that accept it
// (docs/console.md "Serving the console"). A file gzip does not shrink gets no twin.
import { readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants } from 'node:zlib';

const dist = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', 'dist');
const compressible = /\.(js|mjs|css|html|svg|json|map|txt|webmanifest|xml)$/;

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else yield path;
  }
}

let written = 0;
let before = 0;
let after = 0;
for (const path of files(dist)) {
  if (path.endsWith('.gz')) {
    unlinkSync(path); // a twin of an earlier build; made again below when still due
    continue;
  }
}
for (const path of files(dist)) {
  if (!compressible.test(path)) continue;
  const bytes = readFileSync(path);
  if (bytes.length <= 1024) continue;
  const gz = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION });
  if (gz.length >= bytes.length) continue;
  writeFileSync(`${path}.gz`, gz);
  written += 1;
  before += bytes.length;
  after += gz.length;
}
console.log(`gzip-dist: ${written} files, ${(before / 1024).toFixed(1)} KiB -> ${(after / 1024).toFixed(1)} KiB gzipped`);
