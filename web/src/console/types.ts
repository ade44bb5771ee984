// What an area of the console contributes: its pages and their menu entries.
import type { FunctionComponent } from 'preact';
import type { Role } from '../lib/auth';

export interface ConsoleRoute {
  /** "/stations/:id"; params are passed to the component as `params`. */
  path: string;
  component: FunctionComponent<{ params: Record<string, string> }>;
  /** The least role that may open the page (the menu hides what a role may not open). */
  role: Role;
  /** A menu entry: its catalogue key and position; pages without one are reached by links. */
  nav?: { label: string; order: number };
}
