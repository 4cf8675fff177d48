import { randomBytes } from 'node:crypto';

export const ROLE_NAMES = ['Member', 'Developer', 'Team Manager', 'Admin'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const PLANS = ['free', 'standard', 'premium', 'enterprise'] as const;
export type Plan = (typeof PLANS)[number];

/** A Dropbox Sign account. `teamId` and `role` are null for a personal account outside any team. */
export interface Account {
  accountId: string;
  email: string;
  teamId: string | null;
  role: RoleName | null;
}

/** A pending invitation. Whether the invitee has an account is looked up by email when needed. */
export interface Invite {
  email: string;
  role: RoleName;
  /** Milliseconds since the Unix epoch. */
  sentAt: number;
}

/** A document transfer requested through `new_owner_email_address` on remove_member. */
export interface Transfer {
  fromEmail: string;
  toEmail: string;
}

export interface Team {
  teamId: string;
  name: string;
  apiKey: string;
  plan: Plan;
  rateLimitPerMinute: number;
  ownerAccountId: string;
  /** Account ids of the members, in the order they joined. */
  memberIds: string[];
  invites: Invite[];
  transfers: Transfer[];
}

export interface NewTeam {
  name: string;
  apiKey: string;
  plan: Plan;
  rateLimitPerMinute: number;
  ownerEmail: string;
}

export function isRoleName(value: string): value is RoleName {
  return (ROLE_NAMES as readonly string[]).includes(value);
}

export function isPlan(value: string): value is Plan {
  return (PLANS as readonly string[]).includes(value);
}

/** Returns `bytes` random bytes as lower-case hex, the format of Dropbox Sign account and team ids. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function sameEmail(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** In-memory store of teams and accounts. Emails are unique and compared case-insensitively. */
export class FakeState {
  private readonly teams = new Map<string, Team>();
  private readonly accounts = new Map<string, Account>();
  private readonly accountIdsByEmail = new Map<string, string>();

  /** Creates a team with `ownerEmail` as its Admin, reusing a personal account with that email. */
  createTeam(input: NewTeam): Team {
    const teamId = randomHex(20);
    const owner = this.findAccountByEmail(input.ownerEmail) ?? this.createAccount(input.ownerEmail);
    const team: Team = {
      teamId,
      name: input.name,
      apiKey: input.apiKey,
      plan: input.plan,
      rateLimitPerMinute: input.rateLimitPerMinute,
      ownerAccountId: owner.accountId,
      memberIds: [],
      invites: [],
      transfers: [],
    };
    this.teams.set(teamId, team);
    this.joinTeam(owner, team, 'Admin');
    return team;
  }

  createAccount(email: string): Account {
    const account: Account = { accountId: randomHex(20), email, teamId: null, role: null };
    this.accounts.set(account.accountId, account);
    this.accountIdsByEmail.set(email.toLowerCase(), account.accountId);
    return account;
  }

  /** Makes `account` a member of `team` and drops the team's pending invite for it, if any. */
  joinTeam(account: Account, team: Team, role: RoleName): void {
    account.teamId = team.teamId;
    account.role = role;
    team.memberIds.push(account.accountId);
    team.invites = team.invites.filter((invite) => !sameEmail(invite.email, account.email));
  }

  /** Removes `account` from its team, leaving it a personal account. */
  leaveTeam(account: Account): void {
    const team = account.teamId === null ? undefined : this.teams.get(account.teamId);
    if (team !== undefined) {
      team.memberIds = team.memberIds.filter((id) => id !== account.accountId);
    }
    account.teamId = null;
    account.role = null;
  }

  findTeam(teamId: string): Team | undefined {
    return this.teams.get(teamId);
  }

  findTeamByApiKey(apiKey: string): Team | undefined {
    return [...this.teams.values()].find((team) => team.apiKey === apiKey);
  }

  findAccount(accountId: string): Account | undefined {
    return this.accounts.get(accountId);
  }

  findAccountByEmail(email: string): Account | undefined {
    const accountId = this.accountIdsByEmail.get(email.toLowerCase());
    return accountId === undefined ? undefined : this.accounts.get(accountId);
  }

  findInvite(team: Team, email: string): Invite | undefined {
    return team.invites.find((invite) => sameEmail(invite.email, email));
  }

  members(team: Team): Account[] {
    return team.memberIds.flatMap((id) => this.accounts.get(id) ?? []);
  }

  owner(team: Team): Account {
    const owner = this.accounts.get(team.ownerAccountId);
    if (owner === undefined) {
      throw new Error(`Team ${team.teamId} has no owner account ${team.ownerAccountId}`);
    }
    return owner;
  }

  reset(): void {
    this.teams.clear();
    this.accounts.clear();
    this.accountIdsByEmail.clear();
  }
}
