import {
  findResourceType,
  findSchema,
  resourceTypesResponse,
  SCHEMA_SCHEMA,
  schemasResponse,
  serviceProviderConfig,
} from './discovery';
import { PROVISIONING_SCHEMA, PROVISIONING_STATES } from './extension-schema-definitions';
import { SchemaAttribute } from './schema-attribute';
import { CORE_USER_SCHEMA, CUSTOM_USER_SCHEMA, DROPBOX_SIGN_ROLES, ENTERPRISE_USER_SCHEMA, LIST_RESPONSE_SCHEMA } from './schemas';
import { CORE_USER_ATTRIBUTES, MULTI_VALUED_USER_ATTRIBUTES } from './user-attributes';

const BASE = 'https://scim.example.test/scim/v2/6c5bb468-14b2-4183-baf2-06d523e03bd3';

/** Common attributes (RFC 7643 §3.1) that schema definitions leave out. */
const COMMON_ATTRIBUTES = new Set(['id', 'externalId', 'meta', 'schemas']);

function attributesOf(schemaId: string): SchemaAttribute[] {
  return findSchema(schemaId, BASE)!.attributes as SchemaAttribute[];
}

function allAttributes(attributes: SchemaAttribute[]): SchemaAttribute[] {
  return attributes.flatMap((attribute) => [attribute, ...allAttributes(attribute.subAttributes ?? [])]);
}

describe('serviceProviderConfig', () => {
  const config = serviceProviderConfig({ scimBaseUrl: BASE, maxResults: 150 });

  it('reports the supported features', () => {
    expect(config.patch).toEqual({ supported: true });
    expect(config.bulk).toEqual({ supported: false, maxOperations: 0, maxPayloadSize: 0 });
    expect(config.sort).toEqual({ supported: false });
    expect(config.changePassword).toEqual({ supported: false });
    expect(config.etag).toEqual({ supported: true });
  });

  it('reports the configured maximum page size', () => {
    expect(config.filter).toEqual({ supported: true, maxResults: 150 });
  });

  it('reports the bearer token scheme', () => {
    expect(config.authenticationSchemes).toEqual([expect.objectContaining({ type: 'oauthbearertoken', primary: true })]);
  });

  it('has meta with its location', () => {
    expect(config.meta).toEqual({ resourceType: 'ServiceProviderConfig', location: `${BASE}/ServiceProviderConfig` });
  });
});

describe('resource types', () => {
  it('lists the User type with every extension optional', () => {
    const response = resourceTypesResponse(BASE);

    expect(response.schemas).toEqual([LIST_RESPONSE_SCHEMA]);
    expect(response.totalResults).toBe(1);
    expect(response.Resources[0]).toMatchObject({ id: 'User', endpoint: '/Users', schema: CORE_USER_SCHEMA });
    expect(response.Resources[0].schemaExtensions).toEqual([
      { schema: ENTERPRISE_USER_SCHEMA, required: false },
      { schema: CUSTOM_USER_SCHEMA, required: false },
      { schema: PROVISIONING_SCHEMA, required: false },
    ]);
  });

  it('finds User ignoring case and nothing else', () => {
    expect(findResourceType('user', BASE)?.meta).toEqual({ resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` });
    expect(findResourceType('Group', BASE)).toBeUndefined();
  });
});

describe('schemas', () => {
  it('lists the core schema and three extensions', () => {
    const response = schemasResponse(BASE);

    expect(response.totalResults).toBe(4);
    expect(response.itemsPerPage).toBe(4);
    expect(response.Resources.map((schema) => schema.id)).toEqual([CORE_USER_SCHEMA, ENTERPRISE_USER_SCHEMA, CUSTOM_USER_SCHEMA, PROVISIONING_SCHEMA]);
    expect(response.Resources.every((schema) => (schema.schemas as string[])[0] === SCHEMA_SCHEMA)).toBe(true);
  });

  it('finds a schema by URI ignoring case', () => {
    const schema = findSchema(CUSTOM_USER_SCHEMA.toUpperCase(), BASE);

    expect(schema?.id).toBe(CUSTOM_USER_SCHEMA);
    expect(schema?.meta).toEqual({ resourceType: 'Schema', location: `${BASE}/Schemas/${CUSTOM_USER_SCHEMA}` });
  });

  it('finds no unknown schema', () => {
    expect(findSchema('urn:ietf:params:scim:schemas:core:2.0:Group', BASE)).toBeUndefined();
  });

  it('defines every core User attribute the parser knows', () => {
    const defined = attributesOf(CORE_USER_SCHEMA).map((attribute) => attribute.name);
    const known = CORE_USER_ATTRIBUTES.filter((name) => !COMMON_ATTRIBUTES.has(name));

    expect([...defined].sort()).toEqual([...known].sort());
  });

  it('defines the multi-valued attributes as multi-valued', () => {
    const byName = new Map(attributesOf(CORE_USER_SCHEMA).map((attribute) => [attribute.name, attribute]));

    for (const name of MULTI_VALUED_USER_ATTRIBUTES) {
      expect(`${name}: ${byName.get(name)?.multiValued}`).toBe(`${name}: true`);
    }
  });

  it('makes userName required and unique', () => {
    const userName = attributesOf(CORE_USER_SCHEMA).find((attribute) => attribute.name === 'userName');

    expect(userName).toMatchObject({ required: true, uniqueness: 'server', caseExact: false });
  });

  it('never returns the password', () => {
    const password = attributesOf(CORE_USER_SCHEMA).find((attribute) => attribute.name === 'password');

    expect(password).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
  });

  it('lists the Dropbox Sign roles as canonical values', () => {
    expect(attributesOf(CUSTOM_USER_SCHEMA)).toEqual([
      expect.objectContaining({ name: 'dropboxSign_role', type: 'string', canonicalValues: [...DROPBOX_SIGN_ROLES], caseExact: false }),
    ]);
  });

  it('makes the provisioning extension read-only', () => {
    const attributes = attributesOf(PROVISIONING_SCHEMA);

    expect(attributes.map((attribute) => attribute.name)).toEqual(['state', 'dropboxSignAccountId', 'lastError']);
    expect(attributes.every((attribute) => attribute.mutability === 'readOnly')).toBe(true);
    expect(attributes[0].canonicalValues).toEqual([...PROVISIONING_STATES]);
  });

  it('writes out the characteristics of every attribute', () => {
    const schemas = schemasResponse(BASE).Resources;
    const attributes = schemas.flatMap((schema) => allAttributes(schema.attributes as SchemaAttribute[]));

    for (const attribute of attributes) {
      expect(attribute).toEqual(expect.objectContaining({ multiValued: expect.any(Boolean), required: expect.any(Boolean), mutability: expect.any(String), returned: expect.any(String) }));
      if (attribute.type === 'string') expect(`${attribute.name}: ${typeof attribute.caseExact}`).toBe(`${attribute.name}: boolean`);
      if (attribute.type === 'complex') expect(attribute.subAttributes?.length).toBeGreaterThan(0);
    }
  });
});
