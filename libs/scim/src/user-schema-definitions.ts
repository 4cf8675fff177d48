import { attribute, multiValued, SchemaDefinition } from './schema-attribute';
import { CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA } from './schemas';

/**
 * The core User schema (RFC 7643 §4.1, attribute characteristics as in §8.7.1). The descriptions
 * state what this gateway does with each attribute. It stores and returns them all, but Dropbox
 * Sign receives only the email address and the role.
 */
export const CORE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: CORE_USER_SCHEMA,
  name: 'User',
  description: 'User account. Scimify invites its email address to the Dropbox Sign team.',
  attributes: [
    attribute('userName', 'Unique identifier of the user, compared case-insensitively. Used as the email address when "emails" has none.', {
      required: true,
      uniqueness: 'server',
    }),
    attribute('name', 'The components of the user\'s name.', {
      type: 'complex',
      subAttributes: [
        attribute('formatted', 'The full name for display, such as "Ms. Barbara J Jensen, III".'),
        attribute('familyName', 'The family name, or last name.'),
        attribute('givenName', 'The given name, or first name.'),
        attribute('middleName', 'The middle name.'),
        attribute('honorificPrefix', 'The honorific prefix, such as "Ms.".'),
        attribute('honorificSuffix', 'The honorific suffix, such as "III".'),
      ],
    }),
    attribute('displayName', 'The name of the user for display.'),
    attribute('nickName', 'The casual name of the user.'),
    attribute('profileUrl', 'URL of the user\'s online profile.', { type: 'reference', referenceTypes: ['external'] }),
    attribute('title', 'The user\'s job title.'),
    attribute('userType', 'The relation of the user to the organization, such as "Employee".'),
    attribute('preferredLanguage', 'Preferred language (RFC 7231 Accept-Language format), such as "en-US".'),
    attribute('locale', 'Default location for formatting, such as "en-US".'),
    attribute('timezone', 'Time zone in IANA format, such as "Europe/Berlin".'),
    attribute('active', 'Whether the user belongs in the Dropbox Sign team. false cancels the invitation or removes the member; the user stays readable.', {
      type: 'boolean',
    }),
    attribute('password', 'Accepted and discarded: Scimify never stores or returns passwords.', {
      mutability: 'writeOnly',
      returned: 'never',
    }),
    multiValued('emails', 'Email addresses. Scimify invites the primary one, else the first of type work, else the first.', ['work', 'home', 'other']),
    multiValued('phoneNumbers', 'Phone numbers, stored as sent.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    multiValued('ims', 'Instant messaging addresses.', ['aim', 'gtalk', 'icq', 'xmpp', 'msn', 'skype', 'qq', 'yahoo']),
    multiValued('photos', 'URLs of photos of the user.', ['photo', 'thumbnail'], { type: 'reference', referenceTypes: ['external'] }),
    attribute('addresses', 'Physical mailing addresses.', {
      type: 'complex',
      multiValued: true,
      subAttributes: [
        attribute('formatted', 'The full address for display.'),
        attribute('streetAddress', 'The street address.'),
        attribute('locality', 'The city or locality.'),
        attribute('region', 'The state or region.'),
        attribute('postalCode', 'The postal code.'),
        attribute('country', 'The country, as an ISO 3166-1 alpha-2 code.'),
        attribute('type', 'The kind of address.', { canonicalValues: ['work', 'home', 'other'] }),
        attribute('primary', 'Marks the preferred address.', { type: 'boolean' }),
      ],
    }),
    attribute('groups', 'Not provisioned: Scimify handles users only, so this attribute is ignored in requests and never returned.', {
      type: 'complex',
      multiValued: true,
      mutability: 'readOnly',
      subAttributes: [
        attribute('value', 'The id of the group.', { mutability: 'readOnly' }),
        attribute('$ref', 'The URI of the group.', { type: 'reference', referenceTypes: ['User', 'Group'], mutability: 'readOnly' }),
        attribute('display', 'The name of the group.', { mutability: 'readOnly' }),
        attribute('type', 'Direct or indirect membership.', { canonicalValues: ['direct', 'indirect'], mutability: 'readOnly' }),
      ],
    }),
    multiValued('entitlements', 'Entitlements of the user, stored as sent.', undefined),
    multiValued('roles', 'Roles of the user, stored as sent. The Dropbox Sign role is dropboxSign_role in the custom extension.', undefined),
    multiValued('x509Certificates', 'DER-encoded X.509 certificates, base64.', undefined, { type: 'binary' }),
  ],
};

/** The enterprise User extension (RFC 7643 §4.3), stored and returned as sent. */
export const ENTERPRISE_USER_SCHEMA_DEFINITION: SchemaDefinition = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User attributes, stored and returned as sent.',
  attributes: [
    attribute('employeeNumber', 'The employee number assigned by the organization.'),
    attribute('costCenter', 'The cost center.'),
    attribute('organization', 'The organization.'),
    attribute('division', 'The division.'),
    attribute('department', 'The department.'),
    attribute('manager', 'The user\'s manager.', {
      type: 'complex',
      subAttributes: [
        attribute('value', 'The id of the manager\'s User resource.'),
        attribute('$ref', 'The URI of the manager\'s User resource.', { type: 'reference', referenceTypes: ['User'] }),
        attribute('displayName', 'The manager\'s display name.', { mutability: 'readOnly' }),
      ],
    }),
  ],
};
