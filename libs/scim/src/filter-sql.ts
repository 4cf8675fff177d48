import { Compare, Filter, Suffix, parseFilter } from './filter-parse';
import {
  FILTERABLE_ATTRIBUTE_NAMES,
  MultiValuedAttribute,
  ScalarAttribute,
  resolveFilterAttribute,
} from './filter-attributes';
import { ScimError } from './scim-error';

/** A Postgres boolean expression over `scim_user u` and the values for its numbered parameters. */
export interface CompiledFilter {
  sql: string;
  params: unknown[];
}

/** A reason why a parsed filter cannot be translated; compileUserFilter adds the filter text. */
class UntranslatableFilter extends Error {}

/** Collects parameter values and hands out their `$n` placeholders. */
class SqlParams {
  readonly values: unknown[] = [];

  constructor(private readonly firstIndex: number) {}

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.firstIndex + this.values.length - 1}`;
  }
}

/**
 * Translates an RFC 7644 §3.4.2.2 filter into a parameterised Postgres expression over the
 * table alias `u`. Parameters are numbered from `firstParamIndex`; values only ever travel
 * as parameters. Throws ScimError 400 invalidFilter for bad syntax, unknown attributes and
 * operators that do not apply to an attribute's type.
 */
export function compileUserFilter(filter: string, firstParamIndex: number): CompiledFilter {
  const ast = parseFilter(filter);
  const params = new SqlParams(firstParamIndex);
  try {
    return { sql: compileNode(ast, params), params: params.values };
  } catch (error) {
    if (!(error instanceof UntranslatableFilter)) throw error;
    throw new ScimError(400, `filter ${JSON.stringify(filter)} is invalid: ${error.message}`, 'invalidFilter');
  }
}

function compileNode(node: Filter, params: SqlParams): string {
  switch (node.op) {
    case 'and':
    case 'or':
      return `(${node.filters.map((child) => compileNode(child, params)).join(` ${node.op.toUpperCase()} `)})`;
    case 'not':
      return negate(compileNode(node.filter, params));
    case '[]':
      return compileValuePath(node.attrPath, node.valFilter, params);
    default:
      return compileAttributeExpression(node, params);
  }
}

/**
 * Negates with NULL counted as false, so `not (title eq "x")` also matches users without a
 * title. SQL's three-valued logic would drop them, because `NOT NULL` is NULL.
 */
function negate(sql: string): string {
  return `NOT COALESCE(${sql}, false)`;
}

function compileValuePath(attrPath: string, valueFilter: Filter, params: SqlParams): string {
  const resolved = resolveFilterAttribute(attrPath);
  if (resolved?.attribute.kind !== 'multiValued' || resolved.subAttribute !== undefined) {
    throw new UntranslatableFilter(`"${attrPath}[...]" needs a multi-valued attribute such as emails or addresses`);
  }
  return existsElement(resolved.attribute, compileElementNode(valueFilter, resolved.attribute, params));
}

function compileAttributeExpression(node: Compare | Suffix, params: SqlParams): string {
  const resolved = resolveFilterAttribute(node.attrPath);
  if (!resolved) {
    throw new UntranslatableFilter(`attribute "${node.attrPath}" is not filterable; use one of ${FILTERABLE_ATTRIBUTE_NAMES}`);
  }
  const { attribute, subAttribute } = resolved;
  if (attribute.kind === 'scalar') return compileComparison(attribute, node, params);

  // `emails pr` matches any element. RFC 7644 §3.4.2.2 wants a sub-attribute on complex
  // attributes, but a bare `emails co "x"` is read leniently as `emails.value co "x"`.
  if (node.op === 'pr' && subAttribute === undefined) return existsElement(attribute);
  const condition = compileComparison(elementAttribute(attribute, subAttribute ?? 'value'), node, params);
  return existsElement(attribute, condition);
}

/**
 * Matches when any element satisfies the condition, because RFC 7644 §3.4.2.2 lets one of
 * several values match for the whole resource to match. A missing or non-array value counts as no elements,
 * because jsonb_array_elements raises on a scalar and one such row would fail every query.
 */
function existsElement(attribute: MultiValuedAttribute, condition?: string): string {
  const json = `u.resource->'${attribute.name}'`;
  const array = `CASE WHEN jsonb_typeof(${json}) = 'array' THEN ${json} ELSE '[]'::jsonb END`;
  const elements = `jsonb_array_elements(${array}) e`;
  return condition === undefined
    ? `EXISTS (SELECT 1 FROM ${elements})`
    : `EXISTS (SELECT 1 FROM ${elements} WHERE ${condition})`;
}

/** Compiles the filter inside `emails[...]`, whose attribute paths name sub-attributes. */
function compileElementNode(node: Filter, attribute: MultiValuedAttribute, params: SqlParams): string {
  switch (node.op) {
    case 'and':
    case 'or': {
      const children = node.filters.map((child) => compileElementNode(child, attribute, params));
      return `(${children.join(` ${node.op.toUpperCase()} `)})`;
    }
    case 'not':
      return negate(compileElementNode(node.filter, attribute, params));
    case '[]':
      throw new UntranslatableFilter(`"${node.attrPath}[...]" cannot be nested inside "${attribute.name}[...]"`);
    default: {
      const prefix = `${attribute.name.toLowerCase()}.`;
      const path = node.attrPath.toLowerCase();
      const subAttribute = path.startsWith(prefix) ? path.slice(prefix.length) : path;
      return compileComparison(elementAttribute(attribute, subAttribute), node, params);
    }
  }
}

function elementAttribute(attribute: MultiValuedAttribute, subAttribute: string): ScalarAttribute {
  const sub = attribute.subAttributes.get(subAttribute.toLowerCase());
  if (!sub) {
    const known = [...attribute.subAttributes.values()].map((entry) => entry.name).join(', ');
    throw new UntranslatableFilter(`"${attribute.name}" has no sub-attribute "${subAttribute}"; use one of ${known}`);
  }
  return { kind: 'scalar', sql: `e->>'${sub.name}'`, type: sub.type, caseExact: false, jsonText: true };
}

function compileComparison(attribute: ScalarAttribute, node: Compare | Suffix, params: SqlParams): string {
  if (node.op === 'pr') return compilePresent(attribute);
  switch (attribute.type) {
    case 'string':
      return compileStringComparison(attribute, node, params);
    case 'boolean':
      return compileBooleanComparison(attribute, node, params);
    case 'dateTime':
      return compileDateTimeComparison(attribute, node, params);
  }
}

/** `pr` means present and not empty (RFC 7644 §3.4.2.2, RFC 7643 §2.5). */
function compilePresent(attribute: ScalarAttribute): string {
  if (attribute.type !== 'string') return `${attribute.sql} IS NOT NULL`;
  return `(${attribute.sql} IS NOT NULL AND ${attribute.sql} <> '')`;
}

const ORDERING_SQL: Record<string, string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

function compileStringComparison(attribute: ScalarAttribute, node: Compare, params: SqlParams): string {
  const text = requireString(node);
  if (node.op === 'co' || node.op === 'sw' || node.op === 'ew') {
    const pattern = likePattern(node.op, text);
    const like = attribute.caseExact ? 'LIKE' : 'ILIKE';
    return `${attribute.sql} ${like} ${params.add(pattern)} ESCAPE '\\'`;
  }

  const column = attribute.caseExact ? attribute.sql : `lower(${attribute.sql})`;
  const param = attribute.caseExact ? params.add(text) : `lower(${params.add(text)})`;
  if (node.op === 'eq') return `${column} = ${param}`;
  if (node.op === 'ne') return `${column} IS DISTINCT FROM ${param}`;
  return `${column} ${ORDERING_SQL[node.op]} ${param}`;
}

/** Builds a LIKE pattern that matches `text` literally, escaping `\`, `%` and `_`. */
export function likePattern(op: 'co' | 'sw' | 'ew', text: string): string {
  const escaped = text.replace(/[\\%_]/g, (char) => `\\${char}`);
  if (op === 'sw') return `${escaped}%`;
  if (op === 'ew') return `%${escaped}`;
  return `%${escaped}%`;
}

function compileBooleanComparison(attribute: ScalarAttribute, node: Compare, params: SqlParams): string {
  if (node.op !== 'eq' && node.op !== 'ne') {
    throw new UntranslatableFilter(`"${node.attrPath}" is a boolean, so use eq or ne instead of ${node.op}`);
  }
  const value = requireBoolean(node);
  // Booleans read from jsonb text may have been stored as "True", so compare lower-cased text.
  const column = attribute.jsonText ? `lower(${attribute.sql})` : attribute.sql;
  const param = params.add(attribute.jsonText ? String(value) : value);
  return node.op === 'eq' ? `${column} = ${param}` : `${column} IS DISTINCT FROM ${param}`;
}

function compileDateTimeComparison(attribute: ScalarAttribute, node: Compare, params: SqlParams): string {
  if (node.op === 'co' || node.op === 'sw' || node.op === 'ew') {
    throw new UntranslatableFilter(`"${node.attrPath}" is a dateTime, so use eq, ne, gt, ge, lt or le instead of ${node.op}`);
  }
  const param = `${params.add(requireDateTime(node))}::timestamptz`;
  if (node.op === 'eq') return `${attribute.sql} = ${param}`;
  if (node.op === 'ne') return `${attribute.sql} IS DISTINCT FROM ${param}`;
  return `${attribute.sql} ${ORDERING_SQL[node.op]} ${param}`;
}

function requireString(node: Compare): string {
  if (typeof node.compValue === 'string') return node.compValue;
  if (typeof node.compValue === 'number') return String(node.compValue);
  throw new UntranslatableFilter(
    `"${node.attrPath}" is a string, so compare it with a quoted value instead of ${String(node.compValue)}; ` +
      'test presence with pr',
  );
}

function requireBoolean(node: Compare): boolean {
  const text = String(node.compValue).toLowerCase();
  if (text === 'true' || text === 'false') return text === 'true';
  throw new UntranslatableFilter(`"${node.attrPath}" is a boolean, so compare it with true or false instead of ${JSON.stringify(node.compValue)}`);
}

/** xsd:dateTime as RFC 7643 §2.3.5 requires; a value without a zone is read as UTC. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/i;

function requireDateTime(node: Compare): string {
  const text = typeof node.compValue === 'string' ? node.compValue : '';
  const hasZone = /(Z|[+-]\d{2}:\d{2})$/i.test(text) || !text.includes('T');
  let time = NaN;
  if (DATE_TIME.test(text)) time = Date.parse(hasZone ? text : `${text}Z`);
  if (Number.isNaN(time)) {
    throw new UntranslatableFilter(
      `"${node.attrPath}" is a dateTime, so compare it with a value such as "2024-05-01T12:00:00Z" instead of ${JSON.stringify(node.compValue)}`,
    );
  }
  return new Date(time).toISOString();
}
