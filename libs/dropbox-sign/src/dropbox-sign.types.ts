import { DropboxSignRole } from '@scimify/scim';

/** The subset of AccountResponse that the connector reads. */
export interface DropboxSignAccount {
  accountId: string | null;
  email: string;
  roleCode: string | null;
  teamId: string | null;
}

/** `GET /team`, add_member and remove_member all return the whole team. */
export interface DropboxSignTeam {
  name: string;
  members: DropboxSignAccount[];
  /** Pending invites: `invited_accounts` (with account ids) and `invited_emails` (without). */
  invites: Array<{ email: string; accountId: string | null }>;
}

export interface AddMemberRequest {
  email: string;
  role: DropboxSignRole;
  /** The API ignores `role` unless `team_id` is sent too. */
  teamId: string;
}

export interface RemoveMemberRequest {
  email: string;
  /** Receives the removed user's documents; Enterprise plans only. */
  newOwnerEmail: string | null;
}

/** Called with the rate-limit headers of every response (success or error). */
export type RateLimitObserver = (apiKeyId: string, state: { limit: number; remaining: number; resetAt: number }) => void;
