import { JsonObject, isJsonObject } from './json';

/** A deliberately loose email shape; the gateway only needs to tell an email from a login name. */
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+$/;

/**
 * Picks the address that the gateway sends to Dropbox Sign: the primary email, else the first
 * with type "work", else the first email, else `userName` when it looks like an email.
 * Returns it lower-cased, or null when there is none.
 */
export function deriveEmail(resource: JsonObject, userName: string): string | null {
  const emails = Array.isArray(resource.emails) ? resource.emails.filter(hasStringValue) : [];
  const chosen =
    emails.find((email) => email.primary === true || String(email.primary).toLowerCase() === 'true') ??
    emails.find((email) => typeof email.type === 'string' && email.type.toLowerCase() === 'work') ??
    emails[0];
  if (chosen) return chosen.value.trim().toLowerCase();
  return EMAIL_SHAPE.test(userName) ? userName.toLowerCase() : null;
}

function hasStringValue(email: unknown): email is JsonObject & { value: string } {
  return isJsonObject(email) && typeof email.value === 'string' && email.value.trim() !== '';
}
