// The signed-in driver: a `gld_` token from POST /drive/auth/login, kept on this device
// (localStorage: a phone's tab is often closed mid-session) until it expires (12 h).
import { configureApi, post, request } from '../lib/api';
import type { Driver } from './types';

export interface DriverSession {
  token: string;
  expires_at: string;
  driver: Driver;
}

const KEY = 'gridlane.driver';
let current: DriverSession | null = load();
const listeners = new Set<(s: DriverSession | null) => void>();

function load(): DriverSession | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as DriverSession;
    return Date.parse(s.expires_at) > Date.now() ? s : null;
  } catch {
    return null;
  }
}

function set(s: DriverSession | null): void {
  current = s;
  if (s) localStorage.setItem(KEY, JSON.stringify(s));
  else localStorage.removeItem(KEY);
  for (const l of listeners) l(s);
}

configureApi(
  () => current?.token ?? null,
  () => set(null),
);

export const driver = (): DriverSession | null => current;

export function onDriver(listener: (s: DriverSession | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function signIn(email: string, password: string): Promise<DriverSession> {
  const s = await request<DriverSession>('POST', '/drive/auth/login', { body: { email, password }, token: null });
  set(s);
  return s;
}

export async function signOut(): Promise<void> {
  try {
    if (current) await post('/drive/auth/logout');
  } catch {
    /* the token is dropped here either way */
  } finally {
    set(null);
  }
}
