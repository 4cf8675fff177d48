import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { AppConfig, EnvironmentVariables, SECRET_VARIABLES } from './app-config';

/** Raised when the environment is invalid; the message lists every problem at once. */
export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

function describe(error: ValidationError, raw: string | undefined): string {
  // class-validator's own messages start with the property name; the line names it already.
  const reasons = Object.values(error.constraints ?? {})
    .map((reason) => reason.replace(new RegExp(`^${error.property} `), ''))
    .join('; ');

  if (raw === undefined) return `${error.property} is missing: it ${reasons}`;
  if (SECRET_VARIABLES.has(error.property)) return `${error.property} is invalid: it ${reasons}`;

  return `${error.property} is invalid (got "${raw}"): it ${reasons}`;
}

/**
 * Reads and validates the environment once. Unset or empty variables take their defaults;
 * every invalid or missing value is reported in one ConfigValidationError.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const required = ['DATABASE_URL', 'REDIS_URL', 'SCIMIFY_ENCRYPTION_KEY', 'SCIMIFY_ADMIN_TOKEN', 'PUBLIC_BASE_URL'];
  const input: Record<string, string> = {};

  for (const name of [...known, ...required]) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }

  const config = plainToInstance(EnvironmentVariables, input, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });

  if (errors.length > 0) throw new ConfigValidationError(errors.map((error) => describe(error, input[error.property])));

  return Object.freeze(config);
}

/** Reads only DATABASE_URL, for `npm run migrate`, which needs nothing else. */
export function loadDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.DATABASE_URL?.trim();
  if (!value || !/^postgres(ql)?:\/\/.+/.test(value)) {
    throw new ConfigValidationError(['DATABASE_URL is missing or invalid: it must be a postgres:// URL']);
  }

  return value;
}
