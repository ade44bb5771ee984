// Id tokens from a CSV file (RFC 4180: quoted cells, doubled quotes, CRLF or LF) for
// POST /id-tokens/import. Columns id_tag, status, expires_at, parent_id_tag, in that order or
// named by a header row; empty cells are left out (the server's defaults apply).

export interface TokenRow {
  id_tag: string;
  status?: string;
  expires_at?: string;
  parent_id_tag?: string;
}

export const COLUMNS = ['id_tag', 'status', 'expires_at', 'parent_id_tag'] as const;
type Column = (typeof COLUMNS)[number];

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // a byte order mark
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',' || c === ';') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((x) => x.trim() !== ''));
}

export interface ParsedTokens {
  tokens: TokenRow[];
  /** The file's line of tokens[i] (1-based), to name it when the server refuses an entry. */
  lines: number[];
  /** A column name in the header that is not one of COLUMNS. */
  unknownColumn?: string;
}

export function tokensFromCsv(text: string): ParsedTokens {
  const rows = parseCsv(text);
  let columns: string[] = [...COLUMNS];
  let first = 0;
  if (rows.length && rows[0][0]?.trim().toLowerCase() === 'id_tag') {
    columns = rows[0].map((h) => h.trim().toLowerCase());
    first = 1;
    const unknown = columns.find((c) => !(COLUMNS as readonly string[]).includes(c));
    if (unknown !== undefined) return { tokens: [], lines: [], unknownColumn: unknown };
  }
  const tokens: TokenRow[] = [];
  const lines: number[] = [];
  for (let r = first; r < rows.length; r++) {
    const token: TokenRow = { id_tag: '' };
    rows[r].forEach((value, i) => {
      const column = columns[i] as Column | undefined;
      const v = value.trim();
      if (column && v !== '') token[column] = v;
    });
    tokens.push(token);
    lines.push(r + 1);
  }
  return { tokens, lines };
}

/** "tokens[3].status" -> 3 */
export function entryIndex(field: string | undefined): number | null {
  const m = /^tokens\[(\d+)\]/.exec(field ?? '');
  return m ? Number(m[1]) : null;
}
