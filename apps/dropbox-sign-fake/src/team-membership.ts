import { ApiError, badRequest, conflict, forbidden, notFound } from './api-error';
import { Account, FakeState, Invite, RoleName, Team } from './fake-state';

export interface AddMemberRequest {
  accountId?: string;
  email?: string;
  role?: RoleName;
  /** The `team_id` query parameter. */
  teamId?: string;
}

export interface RemoveMemberRequest {
  accountId?: string;
  email?: string;
  newOwnerEmail?: string;
  newTeamId?: string;
  newRole?: RoleName;
}

/** The person a request names, by `account_id` (which wins) or `email_address`. */
interface Target {
  email: string;
  account: Account | undefined;
  /** The body field that named the target, used as `error_path`. */
  field: 'account_id' | 'email_address';
}

type RemovalTarget = { kind: 'member'; account: Account } | { kind: 'invite'; invite: Invite };

function resolveTarget(state: FakeState, request: { accountId?: string; email?: string }): Target {
  if (request.accountId !== undefined) {
    const account = state.findAccount(request.accountId);
    if (account === undefined) {
      throw notFound(`No account has account_id ${request.accountId}.`, 'account_id');
    }
    return { email: account.email, account, field: 'account_id' };
  }
  if (request.email !== undefined) {
    return { email: request.email, account: state.findAccountByEmail(request.email), field: 'email_address' };
  }
  throw badRequest('email_address or account_id is required.', 'email_address');
}

/** Creates a pending invite to `team`, as `PUT /team/add_member` does. */
export function addMember(state: FakeState, team: Team, request: AddMemberRequest): void {
  const target = resolveTarget(state, request);
  if (target.account?.teamId === team.teamId) {
    throw badRequest(`${target.email} is already a member of your team.`, target.field);
  }
  if (target.account !== undefined && target.account.teamId !== null) {
    const message = `Could not invite ${target.email}: the account already belongs to another team.`;
    throw new ApiError(403, 'team_invite_failed', message);
  }
  // NOTE: Dropbox Sign does not document what re-inviting a pending invitee returns, so the fake rejects it.
  if (state.findInvite(team, target.email) !== undefined) {
    throw badRequest(`${target.email} already has a pending invitation to your team.`, target.field);
  }
  // The spec uses `role` only when `team_id` is given, so any other invite gets the default Member role.
  const role = request.teamId === team.teamId ? (request.role ?? 'Member') : 'Member';
  team.invites.push({ email: target.email, role, sentAt: Date.now() });
}

/** Removes a member or expires a pending invite, as `POST /team/remove_member` does. */
export function removeMember(state: FakeState, team: Team, request: RemoveMemberRequest): void {
  const target = resolveRemovalTarget(state, team, request);
  if (target.kind === 'invite') {
    findNewOwner(state, team, request, undefined);
    team.invites = team.invites.filter((invite) => invite !== target.invite);
    return;
  }

  const member = target.account;
  if (member.accountId === team.ownerAccountId) {
    throw forbidden(`${member.email} owns the API key of this team and cannot be removed.`);
  }
  const newOwner = findNewOwner(state, team, request, member);
  const newTeam = findNewTeam(state, team, request.newTeamId);

  state.leaveTeam(member);
  if (newOwner !== undefined) {
    team.transfers.push({ fromEmail: member.email, toEmail: newOwner.email });
  }
  if (newTeam !== undefined) {
    state.joinTeam(member, newTeam, request.newRole ?? 'Member');
  }
}

function resolveRemovalTarget(state: FakeState, team: Team, request: RemoveMemberRequest): RemovalTarget {
  const target = resolveTarget(state, request);
  if (target.account !== undefined && target.account.teamId === team.teamId) {
    return { kind: 'member', account: target.account };
  }
  const invite = state.findInvite(team, target.email);
  if (invite !== undefined) {
    return { kind: 'invite', invite };
  }
  throw notFound(`${target.email} is not a member of your team and has no pending invitation to it.`, target.field);
}

/**
 * Validates `new_owner_email_address`: it needs an Enterprise plan and another member of the team.
 * NOTE: Dropbox Sign does not document the response on other plans, so the fake returns 403 forbidden.
 */
function findNewOwner(
  state: FakeState,
  team: Team,
  request: RemoveMemberRequest,
  removed: Account | undefined,
): Account | undefined {
  if (request.newOwnerEmail === undefined) {
    return undefined;
  }
  if (team.plan !== 'enterprise') {
    throw forbidden(
      `Transferring documents with new_owner_email_address requires an Enterprise plan; this team is on ${team.plan}.`,
    );
  }
  const newOwner = state.findAccountByEmail(request.newOwnerEmail);
  if (newOwner === undefined || newOwner.teamId !== team.teamId || newOwner === removed) {
    const message = `new_owner_email_address ${request.newOwnerEmail} must be another member of your team.`;
    throw badRequest(message, 'new_owner_email_address');
  }
  return newOwner;
}

/**
 * Finds the team named by `new_team_id`.
 * NOTE: the fake has no organisations, so any other fake team counts as a sub-team to move into.
 */
function findNewTeam(state: FakeState, team: Team, newTeamId: string | undefined): Team | undefined {
  if (newTeamId === undefined) {
    return undefined;
  }
  const newTeam = state.findTeam(newTeamId);
  if (newTeam === undefined) {
    throw notFound(`No team has team_id ${newTeamId}.`, 'new_team_id');
  }
  if (newTeam === team) {
    throw badRequest('new_team_id must name a different team than the one the member leaves.', 'new_team_id');
  }
  return newTeam;
}

/** Turns a pending invite into membership with the invited role, creating the account if needed. */
export function acceptInvite(state: FakeState, team: Team, email: string): Account {
  const invite = state.findInvite(team, email);
  if (invite === undefined) {
    throw notFound(`Team ${team.teamId} has no pending invitation for ${email}.`);
  }
  const account = state.findAccountByEmail(invite.email) ?? state.createAccount(invite.email);
  if (account.teamId !== null) {
    throw conflict(`${account.email} already belongs to team ${account.teamId}. Remove it from that team first.`);
  }
  state.joinTeam(account, team, invite.role);
  return account;
}
