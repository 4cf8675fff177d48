import { DropboxSignRole } from '@scimify/scim';

export type ObservedState = 'none' | 'invited' | 'member' | 'removed' | 'failed';

export interface PlanInput {
  desired: { active: boolean; deleted: boolean; role: DropboxSignRole };
  /** The user's recorded state in Scimify. */
  observedState: ObservedState;
  /** Role of the pending invite that Scimify sent or linked; null when unknown. */
  invitedRole: DropboxSignRole | null;
  /** Snapshot rows for the user's email address: membership and pending invite. */
  snapshot: {
    member: { accountId: string | null; roleCode: string | null } | null;
    invite: { accountId: string | null } | null;
  };
  transferEmail: string | null;
}

export type PlanStep =
  | { kind: 'invite'; role: DropboxSignRole }
  | { kind: 'cancel_invite' }
  | { kind: 'remove_member'; newOwnerEmail: string | null }
  | { kind: 'link_member'; accountId: string | null }
  | { kind: 'link_invite'; assumedRole: DropboxSignRole }
  | { kind: 'note_role_not_applied'; currentRole: DropboxSignRole | null; desiredRole: DropboxSignRole }
  | { kind: 'mark_removed' };

/** Dropbox Sign's one-letter role codes; only `a` and `m` are documented. */
const ROLE_BY_CODE: Record<string, DropboxSignRole> = { a: 'Admin', m: 'Member' };

export function roleFromCode(code: string | null): DropboxSignRole | null {
  return code ? (ROLE_BY_CODE[code] ?? null) : null;
}

/**
 * Computes the Dropbox Sign steps that bring one user from what the team holds to the desired
 * state. Pure: the worker executes the steps. Rules:
 *
 * | desired \ team   | nothing       | pending invite                                  | member                          |
 * | active, role R   | invite with R | same role: nothing; else cancel, invite with R | nothing; a role change is noted |
 * | inactive/deleted | nothing       | cancel the invite                               | remove (with transfer email)    |
 */
export function planReconcile(input: PlanInput): PlanStep[] {
  const wantsAccess = input.desired.active && !input.desired.deleted;

  if (input.snapshot.member) return wantsAccess ? planForMember(input) : [removeStep(input)];
  if (input.snapshot.invite) return wantsAccess ? planForInvite(input) : [{ kind: 'cancel_invite' }];
  if (wantsAccess) return [{ kind: 'invite', role: input.desired.role }];

  return input.observedState === 'removed' ? [] : [{ kind: 'mark_removed' }];
}

function removeStep(input: PlanInput): PlanStep {
  return { kind: 'remove_member', newOwnerEmail: input.transferEmail };
}

function planForMember(input: PlanInput): PlanStep[] {
  const member = input.snapshot.member!;
  const steps: PlanStep[] = [];

  if (input.observedState !== 'member') steps.push({ kind: 'link_member', accountId: member.accountId });

  // The API cannot change the role of a member, so a difference is only recorded.
  const currentRole = roleFromCode(member.roleCode) ?? input.invitedRole;
  if (currentRole !== input.desired.role) {
    steps.push({ kind: 'note_role_not_applied', currentRole, desiredRole: input.desired.role });
  }

  return steps;
}

function planForInvite(input: PlanInput): PlanStep[] {
  // Dropbox Sign does not report the role of a pending invite, so an invite that Scimify did not
  // send is linked and taken to carry the desired role.
  if (input.observedState !== 'invited' || input.invitedRole === null) {
    return [{ kind: 'link_invite', assumedRole: input.desired.role }];
  }

  if (input.invitedRole === input.desired.role) return [];

  return [{ kind: 'cancel_invite' }, { kind: 'invite', role: input.desired.role }];
}
