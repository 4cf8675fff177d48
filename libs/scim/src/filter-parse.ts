import { Compare, Filter, parse } from 'scim2-parse-filter';
import { ScimError } from './scim-error';

export type { Filter, Compare, LogExp, NotFilter, Suffix, ValuePath } from 'scim2-parse-filter';

/** A comparison value after decoding (RFC 7644 §3.4.2.2: a JSON string, boolean, number or null). */
export type CompareValue = Compare['compValue'];

interface Token {
  kind: 'word' | 'punctuation' | 'value';
  text: string;
  value?: string | boolean | null;
}

const COMPARISON_OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le']);

/**
 * Parses an RFC 7644 §3.4.2.2 filter into the scim2-parse-filter AST and throws ScimError 400
 * invalidFilter naming the filter when it is not valid.
 *
 * The text is rewritten before scim2-parse-filter (0.2.10) sees it, for three reasons:
 * - Entra's older documentation sends bare values (`externalId eq jtester`), which the library
 *   rejects. A bare word after an operator is read as a string unless it is true, false or null.
 * - The library doubles every backslash in a quoted value, so `"a\\b"` would not decode to the
 *   JSON string a\b. Quoted values are therefore decoded here and passed as numbered
 *   placeholders, which are swapped back into the AST afterwards.
 * - The library turns `emails[type eq "work"].value eq "x"` into two independent conditions.
 *   The sub-attribute comparison is moved inside the brackets, so both apply to one element.
 */
export function parseFilter(filter: string): Filter {
  try {
    const values: string[] = [];
    const tokens = inlineValuePathSubAttributes(markBareValues(scan(filter)));
    if (tokens.length === 0) throw new Error('the filter is empty');
    const text = tokens.map((token) => renderToken(token, values)).join(' ');
    return restoreValues(parse(text), values);
  } catch (error) {
    if (error instanceof ScimError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new ScimError(
      400,
      `filter ${JSON.stringify(filter)} is invalid: ${reason}. Use the RFC 7644 form, e.g. userName eq "jo@example.test"`,
      'invalidFilter',
    );
  }
}

function scan(filter: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < filter.length) {
    const char = filter[index];
    if (/\s/.test(char)) {
      index += 1;
    } else if ('()[]'.includes(char)) {
      tokens.push({ kind: 'punctuation', text: char });
      index += 1;
    } else if (char === '"') {
      const end = findStringEnd(filter, index);
      const literal = filter.slice(index, end + 1);
      tokens.push({ kind: 'value', text: literal, value: decodeJsonString(literal) });
      index = end + 1;
    } else {
      const word = /^[^\s()[\]"]+/.exec(filter.slice(index))?.[0] ?? char;
      tokens.push({ kind: 'word', text: word });
      index += word.length;
    }
  }
  return tokens;
}

function findStringEnd(filter: string, start: number): number {
  for (let index = start + 1; index < filter.length; index += 1) {
    if (filter[index] === '\\') index += 1;
    else if (filter[index] === '"') return index;
  }
  throw new Error(`the string starting at ${filter.slice(start, start + 20)} has no closing quote`);
}

/**
 * Decodes a quoted value as a JSON string. A backslash that starts no JSON escape (as in
 * `"CORP\user"`) is kept as a literal backslash instead of failing the whole filter.
 */
function decodeJsonString(literal: string): string {
  try {
    return JSON.parse(literal) as string;
  } catch {
    return JSON.parse(literal.replace(/\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})/g, '\\\\')) as string;
  }
}

/** Turns a bare word that follows `attribute operator` into a value token. */
function markBareValues(tokens: Token[]): Token[] {
  return tokens.map((token, index) => {
    const operator = tokens[index - 1];
    const attribute = tokens[index - 2];
    const isBareValue =
      token.kind === 'word' &&
      operator?.kind === 'word' &&
      COMPARISON_OPERATORS.has(operator.text.toLowerCase()) &&
      attribute?.kind === 'word';
    if (!isBareValue) return token;
    return { kind: 'value', text: token.text, value: readBareValue(token.text) };
  });
}

function readBareValue(text: string): string | boolean | null {
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  return text;
}

/** Rewrites `attr[inner].sub op value` as `attr[(inner) and sub op value]`. */
function inlineValuePathSubAttributes(tokens: Token[]): Token[] {
  const result: Token[] = [];
  let index = 0;
  while (index < tokens.length) {
    const token = tokens[index];
    const next = tokens[index + 1];
    if (!(token.text === ']' && next?.kind === 'word' && next.text.startsWith('.'))) {
      result.push(token);
      index += 1;
      continue;
    }
    const open = findOpeningBracket(result);
    const comparison = readSubAttributeComparison(tokens, index + 1);
    const inner = result.splice(open + 1);
    result.push(punctuation('('), ...inner, punctuation(')'), word('and'), ...comparison, punctuation(']'));
    index += 1 + comparison.length;
  }
  return result;
}

function findOpeningBracket(tokens: Token[]): number {
  let depth = 0;
  for (let index = tokens.length - 1; index >= 0; index -= 1) {
    if (tokens[index].text === ']' && tokens[index].kind === 'punctuation') depth += 1;
    if (tokens[index].text === '[' && tokens[index].kind === 'punctuation') {
      if (depth === 0) return index;
      depth -= 1;
    }
  }
  throw new Error('"]" has no matching "["');
}

/** Reads `.sub pr` or `.sub op value` starting at `start` and returns it without the dot. */
function readSubAttributeComparison(tokens: Token[], start: number): Token[] {
  const subAttribute = word(tokens[start].text.slice(1));
  const operator = tokens[start + 1];
  if (operator?.kind === 'word' && operator.text.toLowerCase() === 'pr') return [subAttribute, operator];

  const value = tokens[start + 2];
  if (operator?.kind !== 'word' || !COMPARISON_OPERATORS.has(operator.text.toLowerCase()) || value?.kind !== 'value') {
    throw new Error(`${tokens[start].text} must be followed by an operator and a value`);
  }
  return [subAttribute, operator, value];
}

function renderToken(token: Token, values: string[]): string {
  if (token.kind !== 'value') return token.text;
  if (typeof token.value !== 'string') return String(token.value);
  values.push(token.value);
  return `"${values.length - 1}"`;
}

/** Puts the decoded values back where renderToken left numbered placeholders. */
function restoreValues(filter: Filter, values: string[]): Filter {
  switch (filter.op) {
    case 'and':
    case 'or':
      return { ...filter, filters: filter.filters.map((child) => restoreValues(child, values)) };
    case 'not':
      return { ...filter, filter: restoreValues(filter.filter, values) };
    case '[]':
      return { ...filter, valFilter: restoreValues(filter.valFilter, values) };
    case 'pr':
      return filter;
    default:
      return typeof filter.compValue === 'string' ? { ...filter, compValue: values[Number(filter.compValue)] } : filter;
  }
}

function punctuation(text: string): Token {
  return { kind: 'punctuation', text };
}

function word(text: string): Token {
  return { kind: 'word', text };
}
