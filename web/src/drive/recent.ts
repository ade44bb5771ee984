// Sessions opened on this device (their ids are the capability of an ad-hoc session), so a
// driver who paid by card and closed the tab finds the way back. At most 10, newest first.
const KEY = 'gridlane.drive.recent';
const MAX = 10;

export interface Recent {
  id: string;
  location?: string | null;
  started_at?: string | null;
}

export function recentSessions(): Recent[] {
  try {
    const list = JSON.parse(localStorage.getItem(KEY) || '[]') as unknown;
    return Array.isArray(list) ? (list as Recent[]).filter((r) => typeof r?.id === 'string').slice(0, MAX) : [];
  } catch {
    return [];
  }
}

export function remember(r: Recent): void {
  const rest = recentSessions().filter((x) => x.id !== r.id);
  localStorage.setItem(KEY, JSON.stringify([r, ...rest].slice(0, MAX)));
}
