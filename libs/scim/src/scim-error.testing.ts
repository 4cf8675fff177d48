import { ScimError } from './scim-error';

/** Runs `action` and returns the ScimError it throws; fails the test when it throws nothing. */
export function catchScimError(action: () => unknown): ScimError {
  try {
    action();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but nothing was thrown');
}
