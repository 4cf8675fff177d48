/** Attribute data types of RFC 7643 §2.3. */
export type AttributeType = 'string' | 'boolean' | 'decimal' | 'integer' | 'dateTime' | 'reference' | 'binary' | 'complex';

/** An attribute definition as `/Schemas` returns it (RFC 7643 §7). */
export interface SchemaAttribute {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact?: boolean;
  canonicalValues?: string[];
  referenceTypes?: string[];
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  subAttributes?: SchemaAttribute[];
}

/** A schema definition without its `meta`, which depends on the integration's base URL. */
export interface SchemaDefinition {
  id: string;
  name: string;
  description: string;
  attributes: SchemaAttribute[];
}

type AttributeOptions = Partial<Omit<SchemaAttribute, 'name' | 'description'>>;

/** Types whose values are compared as text, so `caseExact` applies to them (RFC 7643 §2.2). */
const TEXT_TYPES = new Set<AttributeType>(['string', 'reference', 'binary']);

/**
 * Builds an attribute definition with the defaults of RFC 7643 §2.2: optional, case-insensitive,
 * readWrite, returned by default, not unique, single-valued string. Every characteristic is
 * written out, because some clients do not apply the defaults themselves.
 */
export function attribute(name: string, description: string, options: AttributeOptions = {}): SchemaAttribute {
  const type = options.type ?? 'string';
  const definition: SchemaAttribute = {
    name,
    type,
    multiValued: options.multiValued ?? false,
    description,
    required: options.required ?? false,
    mutability: options.mutability ?? 'readWrite',
    returned: options.returned ?? 'default',
  };

  if (TEXT_TYPES.has(type)) definition.caseExact = options.caseExact ?? false;
  if (options.canonicalValues) definition.canonicalValues = options.canonicalValues;
  if (options.referenceTypes) definition.referenceTypes = options.referenceTypes;
  if (type !== 'boolean' && type !== 'complex') definition.uniqueness = options.uniqueness ?? 'none';
  if (options.subAttributes) definition.subAttributes = options.subAttributes;

  return definition;
}

/**
 * Builds a multi-valued complex attribute with the usual `value`, `display`, `type` and
 * `primary` sub-attributes (RFC 7643 §2.4). `valueOptions` changes the type of `value`.
 */
export function multiValued(
  name: string,
  description: string,
  typeValues: string[] | undefined,
  valueOptions: AttributeOptions = {},
): SchemaAttribute {
  const typeOptions: AttributeOptions = typeValues ? { canonicalValues: typeValues } : {};

  return attribute(name, description, {
    type: 'complex',
    multiValued: true,
    subAttributes: [
      attribute('value', `The value of one of the ${name}.`, valueOptions),
      attribute('display', 'A human-readable name of the value.'),
      attribute('type', 'The kind of value, such as "work".', typeOptions),
      attribute('primary', 'Marks the preferred value; at most one value is primary.', { type: 'boolean' }),
    ],
  });
}
