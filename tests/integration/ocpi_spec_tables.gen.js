#!/usr/bin/env node
// Generates ocpi_spec_tables.json (the field tables and enums of OCPI 2.2.1 that the test eMSP,
// ocpi_partner.js, checks Gridlane's objects against) from the specification's asciidoc:
//   node tests/integration/ocpi_spec_tables.gen.js /path/to/specs/ocpi/2.2.1 > tests/integration/ocpi_spec_tables.json
// The JSON is committed; run this again only when the specification text changes.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const dir = process.argv[2] || '/work/shared/specs/ocpi/2.2.1';
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.asciidoc')).sort();
const objects = {};
const enums = {};

// "<<types.asciidoc#types_cistring_type,CiString>>(36)" -> { type: "CiString", length: 36 }
function parseType(cell) {
  const t = cell.trim();
  const link = t.match(/^<<[^,>]*,\s*([^>]+?)\s*>>\s*(?:\((\d+)\))?/);
  if (link) return { type: link[1].trim(), length: link[2] ? Number(link[2]) : undefined };
  const plain = t.match(/^([A-Za-z_]+)\s*(?:\((\d+)\))?/);
  if (plain) return { type: plain[1], length: plain[2] ? Number(plain[2]) : undefined };
  return { type: t };
}

for (const file of files) {
  const lines = fs.readFileSync(path.join(dir, file), 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = lines[i].match(/^=+\s+(?:_([A-Za-z]+)_\s+Object|([A-Za-z]+)\s+(?:_(class|enum|type)_|(object)))\s*$/);
    if (!h) continue;
    const name = h[1] || h[2];
    const kind = h[1] || h[4] ? 'object' : h[3];
    // The first table below the heading, before the next heading.
    let j = i + 1;
    while (j < lines.length && !/^\|===/.test(lines[j]) && !/^=+\s/.test(lines[j])) j++;
    if (j >= lines.length || !/^\|===/.test(lines[j])) continue;
    const rows = [];
    let k = j + 1;
    let header = true;
    for (; k < lines.length && !/^\|===/.test(lines[k]); k++) {
      const line = lines[k];
      if (!line.startsWith('|')) continue;
      if (header) { header = false; continue; } // the header row
      rows.push(line.slice(1).split(/\s*\|/).map((c) => c.trim()));
    }
    if (kind === 'enum') {
      // ModuleID's table is | Module | ModuleID | Remark |; VersionNumber's values are "2.2.1".
      const column = name === 'ModuleID' ? 1 : 0;
      enums[name] = rows.map((r) => r[column]).filter((v) => v && /^[A-Za-z0-9_.]+$/.test(v));
    } else if (kind === 'object' || kind === 'class') {
      const fields = {};
      for (const r of rows) {
        if (r.length < 3 || !/^[a-z_0-9]+$/.test(r[0])) continue;
        const card = r[2].replace(/[^1?*+]/g, '');
        fields[r[0]] = { ...parseType(r[1]), card: card || '1' };
      }
      if (Object.keys(fields).length) objects[name] = { file, fields };
    }
  }
}
process.stdout.write(JSON.stringify({ source: 'OCPI 2.2.1', objects, enums }, null, 1) + '\n');
