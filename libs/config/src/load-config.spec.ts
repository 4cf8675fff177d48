import { ConfigValidationError, loadConfig } from './load-config';

const VALID = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SCIMIFY_ENCRYPTION_KEY: 'a'.repeat(64),
  SCIMIFY_ADMIN_TOKEN: 'admin-token-with-enough-length',
  PUBLIC_BASE_URL: 'http://localhost:3000',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('applies defaults to a minimal environment', () => {
    const config = loadConfig(VALID);

    expect(config.SCIM_SYNC_WAIT_MS).toBe(10_000);
    expect(config.DROPBOX_SIGN_API_URL).toBe('https://api.hellosign.com/v3');
    expect(config.GATEWAY_PORT).toBe(3000);
  });

  it('converts numeric variables', () => {
    expect(loadConfig({ ...VALID, SCIM_SYNC_WAIT_MS: '0' }).SCIM_SYNC_WAIT_MS).toBe(0);
  });

  it('lists every missing variable at once', () => {
    const problems = problemsOf({});

    for (const name of ['DATABASE_URL', 'REDIS_URL', 'SCIMIFY_ENCRYPTION_KEY', 'SCIMIFY_ADMIN_TOKEN', 'PUBLIC_BASE_URL']) {
      expect(problems.some((problem) => problem.startsWith(`${name} is missing`))).toBe(true);
    }
  });

  it('lists invalid values together and hides secrets', () => {
    const problems = problemsOf({ ...VALID, SCIM_SYNC_WAIT_MS: 'soon', SCIMIFY_ADMIN_TOKEN: 'short-secret', GATEWAY_PORT: '70000' });

    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toContain('SCIM_SYNC_WAIT_MS is invalid (got "soon")');
    expect(problems.join('\n')).not.toContain('short-secret');
  });
});
