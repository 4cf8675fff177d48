import { Account, FakeState, Invite, RoleName, Team } from './fake-state';

/** How long an invite stays valid in `expires_at`. The fake never expires invites itself. */
const INVITE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * `role_code` letters of `AccountResponse`.
 * NOTE: Dropbox Sign documents only "a" (Admin) and "m" (Member), so "d" and "t" are guesses.
 */
const ROLE_CODES: Readonly<Record<RoleName, string>> = {
  Admin: 'a',
  Member: 'm',
  Developer: 'd',
  'Team Manager': 't',
};

export interface AccountQuotas {
  api_signature_requests_left: number | null;
  documents_left: number | null;
  templates_total: number | null;
  templates_left: number | null;
  sms_verifications_left: number | null;
  num_fax_pages_left: number | null;
}

export interface AccountResponse {
  account_id: string;
  email_address: string;
  is_locked: boolean;
  is_paid_hs: boolean;
  is_paid_hf: boolean;
  quotas: AccountQuotas;
  callback_url: string | null;
  role_code?: string | null;
  team_id: string | null;
  locale: string | null;
  usage: { fax_pages_sent: number | null };
  settings: { signer_access_codes: boolean; sms_delivery: boolean; sms_authentication: boolean };
}

export interface TeamResponse {
  name: string;
  accounts: AccountResponse[];
  invited_accounts: AccountResponse[];
  invited_emails: string[];
}

export interface TeamInviteResponse {
  email_address: string;
  team_id: string;
  role: RoleName;
  sent_at: number;
  redeemed_at: null;
  expires_at: number;
}

/** Quotas of paid and free accounts from the spec's examples. Values for fields the examples omit are guesses. */
function quotasFor(paid: boolean): AccountQuotas {
  if (paid) {
    return {
      api_signature_requests_left: 1250,
      documents_left: null,
      templates_total: null,
      templates_left: null,
      sms_verifications_left: null,
      num_fax_pages_left: null,
    };
  }
  return {
    api_signature_requests_left: 0,
    documents_left: 3,
    templates_total: 0,
    templates_left: 0,
    sms_verifications_left: 0,
    num_fax_pages_left: 0,
  };
}

/** Builds an `AccountResponse`. Accounts in a team count as paid, personal accounts as free. */
export function accountResponse(account: Account): AccountResponse {
  const paid = account.teamId !== null;
  return {
    account_id: account.accountId,
    email_address: account.email,
    is_locked: false,
    is_paid_hs: paid,
    is_paid_hf: false,
    quotas: quotasFor(paid),
    callback_url: null,
    role_code: account.role === null ? null : ROLE_CODES[account.role],
    team_id: account.teamId,
    locale: 'en-US',
    usage: { fax_pages_sent: 0 },
    settings: { signer_access_codes: false, sms_delivery: false, sms_authentication: false },
  };
}

/** Builds an entry of `invited_accounts`, which carries no `role_code` in the spec's examples. */
function invitedAccountResponse(account: Account): AccountResponse {
  const response = accountResponse(account);
  delete response.role_code;
  return response;
}

export function teamResponse(state: FakeState, team: Team): TeamResponse {
  const invitedAccounts: AccountResponse[] = [];
  const invitedEmails: string[] = [];
  for (const invite of team.invites) {
    const account = state.findAccountByEmail(invite.email);
    if (account === undefined) {
      invitedEmails.push(invite.email);
    } else {
      invitedAccounts.push(invitedAccountResponse(account));
    }
  }
  return {
    name: team.name,
    accounts: state.members(team).map(accountResponse),
    invited_accounts: invitedAccounts,
    invited_emails: invitedEmails,
  };
}

export function teamInviteResponse(team: Team, invite: Invite): TeamInviteResponse {
  return {
    email_address: invite.email,
    team_id: team.teamId,
    role: invite.role,
    sent_at: Math.floor(invite.sentAt / 1000),
    redeemed_at: null,
    expires_at: Math.floor((invite.sentAt + INVITE_LIFETIME_MS) / 1000),
  };
}

/** State of a team as the control API returns it, with role names and ISO timestamps. */
export function controlTeamView(state: FakeState, team: Team): Record<string, unknown> {
  return {
    teamId: team.teamId,
    name: team.name,
    plan: team.plan,
    rateLimitPerMinute: team.rateLimitPerMinute,
    members: state.members(team).map((account) => ({
      accountId: account.accountId,
      email: account.email,
      role: account.role,
    })),
    invites: team.invites.map((invite) => ({
      email: invite.email,
      role: invite.role,
      accountId: state.findAccountByEmail(invite.email)?.accountId ?? null,
      sentAt: new Date(invite.sentAt).toISOString(),
    })),
    transfers: team.transfers.map((transfer) => ({ ...transfer })),
  };
}
