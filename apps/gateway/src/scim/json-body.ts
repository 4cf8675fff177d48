import { ScimError } from '@scimify/scim';
import secureJson from 'secure-json-parse';

/** Deepest nesting of objects and arrays a request body may have; SCIM users need fewer than 10 levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * Parses a request body as JSON and rejects what Postgres or the recursive SCIM code cannot
 * handle: nesting deeper than MAX_JSON_DEPTH, NUL characters and unpaired UTF-16 surrogates
 * (Postgres rejects both in text and jsonb). Keys `__proto__` and `constructor.prototype` are
 * refused as Fastify's own JSON parser refuses them.
 */
export function parseJsonBody(text: string): unknown {
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) {
    throw new ScimError(400, `The request body is nested ${depth} levels deep: send at most ${MAX_JSON_DEPTH} levels of objects and arrays`, 'invalidSyntax');
  }

  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ScimError(400, 'The request body is not valid JSON: send a JSON object', 'invalidSyntax');
  }
  try {
    if (body !== null && typeof body === 'object') secureJson.scan(body as Record<string, unknown>, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw new ScimError(400, 'The request body has a "__proto__" or "constructor.prototype" key: remove it and send the body again', 'invalidSyntax');
  }

  const invalid = findInvalidString(body);
  if (invalid !== null) {
    throw new ScimError(400, `The request body contains an invalid character (NUL or an unpaired surrogate) in "${invalid.slice(0, 40)}": send valid UTF-8 text`, 'invalidValue');
  }

  return body;
}

/** Returns the maximum nesting of `{` and `[` outside strings, scanning the text without recursion. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;

  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') {
      inString = true;
    } else if (char === '{' || char === '[') {
      depth += 1;
      max = Math.max(max, depth);
    } else if (char === '}' || char === ']') {
      depth -= 1;
    }
  }

  return max;
}

/** Returns the first string (key or value) that Postgres cannot store, or null. */
function findInvalidString(value: unknown): string | null {
  const pending: unknown[] = [value];

  while (pending.length > 0) {
    const current = pending.pop();
    if (typeof current === 'string' && !isStorable(current)) return current;
    if (Array.isArray(current)) pending.push(...current);
    else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        if (!isStorable(key)) return key;
        pending.push(child);
      }
    }
  }

  return null;
}

function isStorable(text: string): boolean {
  return text.isWellFormed() && !text.includes('\u0000');
}
