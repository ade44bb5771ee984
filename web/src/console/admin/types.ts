// The admin area's resources as the API answers them (docs/api.md "Resources").
import type { Role } from '../../lib/auth';

export interface User {
  id: number;
  username: string;
  role: Role;
  disabled: boolean;
  created_at: string;
}

export interface ApiKey {
  id: number;
  name: string;
  role: Role;
  created_by: string;
  created_at: string;
  revoked_at: string | null;
}

/** POST /api-keys: the key itself is in this answer only. */
export interface CreatedKey {
  id: number;
  name: string;
  role: Role;
  key: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: string | null;
  remote: string | null;
  status: number;
}

export const roles: Role[] = ['viewer', 'operator', 'admin'];
