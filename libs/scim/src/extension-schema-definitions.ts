import { attribute, SchemaDefinition } from './schema-attribute';
import { CUSTOM_USER_SCHEMA, DEFAULT_DROPBOX_SIGN_ROLE, DROPBOX_SIGN_ROLES, ROLE_ATTRIBUTE } from './schemas';

/** Read-only extension that shows how far the user's provisioning got in Dropbox Sign. */
export const PROVISIONING_SCHEMA = 'urn:scimify:params:scim:schemas:extension:provisioning:2.0:User';

export const PROVISIONING_STATES = ['pending', 'invited', 'member', 'removed', 'failed'] as const;
export type ProvisioningState = (typeof PROVISIONING_STATES)[number];

/** The custom extension that carries the Dropbox Sign role; Okta sends custom attributes under this URN. */
export const CUSTOM_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: CUSTOM_USER_SCHEMA,
  name: 'DropboxSignUser',
  description: 'Dropbox Sign settings of the user.',
  attributes: [
    attribute(
      ROLE_ATTRIBUTE,
      `Role of the user in the Dropbox Sign team, sent with the invitation. Default ${DEFAULT_DROPBOX_SIGN_ROLE}. ` +
        'Dropbox Sign cannot change the role of a member who accepted the invitation, so a later change only cancels and re-sends a pending invitation.',
      { canonicalValues: [...DROPBOX_SIGN_ROLES] },
    ),
  ],
};

/** The read-only provisioning extension; the worker sets these values, never the client. */
export const PROVISIONING_SCHEMA_DEFINITION: SchemaDefinition = {
  id: PROVISIONING_SCHEMA,
  name: 'ScimifyProvisioning',
  description: 'Provisioning state of the user in Dropbox Sign, set by Scimify. Ignored in requests.',
  attributes: [
    attribute(
      'state',
      'pending: a change is not applied yet; invited: the invitation is pending; member: the user accepted it; ' +
        'removed: the user is inactive and not in the team; failed: the last attempt failed permanently, see lastError.',
      { mutability: 'readOnly', canonicalValues: [...PROVISIONING_STATES] },
    ),
    attribute('dropboxSignAccountId', 'The Dropbox Sign account id, known once the user is a team member.', {
      mutability: 'readOnly',
      caseExact: true,
    }),
    attribute('lastError', 'The error of the last failed Dropbox Sign call for this user, or null.', { mutability: 'readOnly' }),
  ],
};
