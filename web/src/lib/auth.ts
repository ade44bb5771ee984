// The console's signed-in operator: a login token from POST /auth/login, kept for the tab
// (sessionStorage: closing the tab signs out), its role, and what that role may do.
import { configureApi, post } from './api';

export type Role = 'viewer' | 'operator' | 'admin';
const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export interface Session {
  token: string;
  role: Role;
  username: string;
  expires_at: string;
}

const KEY = 'gridlane.session';
let current: Session | null = load();
const listeners = new Set<(s: Session | null) => void>();

function load(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return Date.parse(s.expires_at) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function set(s: Session | null): void {
  current = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
  for (const l of listeners) l(s);
}

configureApi(
  () => current?.token ?? null,
  () => set(null),
);

export function session(): Session | null {
  return current;
}

export function onSession(listener: (s: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** True when the signed-in role is at least `least`. */
export function can(least: Role): boolean {
  return current !== null && rank[current.role] >= rank[least];
}

export async function login(username: string, password: string): Promise<Session> {
  const res = await post<{ token: string; role: Role; expires_at: string }>('/auth/login', { username, password });
  const s: Session = { token: res.token, role: res.role, expires_at: res.expires_at, username };
  set(s);
  return s;
}

export async function logout(): Promise<void> {
  try {
    await post('/auth/logout');
  } finally {
    set(null);
  }
}
