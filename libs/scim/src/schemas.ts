export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Extension that carries `dropboxSign_role`; Okta sends custom attributes under this URN. */
export const CUSTOM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:custom:2.0:User';
export const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export const DROPBOX_SIGN_ROLES = ['Member', 'Developer', 'Team Manager', 'Admin'] as const;
export type DropboxSignRole = (typeof DROPBOX_SIGN_ROLES)[number];
export const DEFAULT_DROPBOX_SIGN_ROLE: DropboxSignRole = 'Member';
export const ROLE_ATTRIBUTE = 'dropboxSign_role';
