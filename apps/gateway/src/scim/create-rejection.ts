import { ScimUserEntity } from '@scimify/persistence';
import { ScimError } from '@scimify/scim';

/**
 * Dropbox Sign errors that concern the user being created. When the first reconcile of a new user
 * ends in one of them, the create gets a SCIM error response and nothing is stored, so that
 * the identity provider shows the reason to its administrator.
 */
export function createRejectionFor(user: ScimUserEntity): ScimError | null {
  if (user.observedState !== 'failed' || user.appliedGeneration < 1) return null;

  switch (user.lastErrorCode) {
    case 'team_invite_failed':
      return new ScimError(
        409,
        `Dropbox Sign rejected the invitation of ${user.email} (team_invite_failed): the address already belongs to another Dropbox Sign team. Have it removed from that team or use another address, then retry.`,
        'uniqueness',
      );
    case 'invalid_recipient':
    case 'bad_request':
      return new ScimError(400, `Dropbox Sign rejected the invitation of ${user.email} (${user.lastErrorCode}): ${user.lastError ?? 'no detail'}`, 'invalidValue');
    default:
      return null;
  }
}
