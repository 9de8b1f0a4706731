// Who sees what in the console. The API checks every role again; this only keeps the screens tidy.
import { usePermissions } from 'react-admin';
import type { Role } from '../types';

/** Reassign work, record leave, change queue membership, read the audit log. */
export const leaderRoles: readonly Role[] = ['team_leader', 'admin'];
/** Read the team dashboard. */
export const dashboardRoles: readonly Role[] = ['team_leader', 'admin', 'ops'];

/** Give other hospital systems tokens for the FHIR API (System clients). */
export const adminRoles: readonly Role[] = ['admin'];
/** Deal with the PAS feed's messages (as api/routes/hl7-messages.ts allows). */
export const pasFeedRoles: readonly Role[] = ['ops', 'admin'];

export function hasRole(role: Role | null | undefined, allowed: readonly Role[]): boolean {
  return role != null && allowed.includes(role);
}

export function useRole() {
  const { permissions, isPending } = usePermissions<Role | null>();
  return { role: permissions ?? null, isPending };
}

export function useIsLeader(): boolean {
  return hasRole(useRole().role, leaderRoles);
}
