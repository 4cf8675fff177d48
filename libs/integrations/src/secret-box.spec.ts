import { randomBytes } from 'node:crypto';
import { constantTimeEquals, decryptSecret, encryptSecret, generateToken, hashToken, parseEncryptionKey } from './secret-box';

describe('secret box', () => {
  const key = parseEncryptionKey(randomBytes(32).toString('hex'));

  it('decrypts what it encrypted', () => {
    const sealed = encryptSecret('api-key-123', key);
    expect(sealed).not.toContain('api-key-123');
    expect(decryptSecret(sealed, key)).toBe('api-key-123');
  });

  it('rejects a ciphertext changed after encryption', () => {
    const sealed = encryptSecret('api-key-123', key);
    const parts = sealed.split('.');
    parts[3] = Buffer.from('tampered').toString('base64url');
    expect(() => decryptSecret(parts.join('.'), key)).toThrow();
  });

  it('accepts a base64 key of 32 bytes', () => {
    expect(parseEncryptionKey(randomBytes(32).toString('base64'))).toHaveLength(32);
  });

  it('hashes tokens to 64 hex characters', () => {
    const token = generateToken();
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(constantTimeEquals(token, token)).toBe(true);
    expect(constantTimeEquals(token, `${token}x`)).toBe(false);
  });
});
