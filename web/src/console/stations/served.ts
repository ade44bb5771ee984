// Which routes this server serves, read once from its OpenAPI document, so a page shows a part
// (the overview's counts, problem reports) only where the API for it exists — and never asks a
// route that is not there.
import { get } from '../../lib/api';

let paths: Promise<Set<string>> | null = null;

export function served(path: string): Promise<boolean> {
  paths ??= get<{ paths?: Record<string, unknown> }>('/openapi.json').then(
    (doc) => new Set(Object.keys(doc.paths ?? {}).map((p) => p.replace(/^\/api\/v1/, ''))),
    () => {
      paths = null; // asked again next time
      return new Set<string>();
    },
  );
  return paths.then((p) => p.has(path));
}
