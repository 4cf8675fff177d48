import { SECURITY_HEADER_OPTIONS, securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  const headers = securityHeaders(SECURITY_HEADER_OPTIONS);

  it('denies framing and referrers', () => {
    expect(headers['X-Frame-Options']).toBe('DENY');
    expect(headers['Referrer-Policy']).toBe('no-referrer');
  });

  it('sets the transport and sniffing headers', () => {
    expect(headers['Strict-Transport-Security']).toMatch(/^max-age=\d+/);
    expect(headers['X-Content-Type-Options']).toBe('nosniff');
  });

  it('leaves the content security policy to the pages', () => {
    expect(Object.keys(headers).map((name) => name.toLowerCase())).not.toContain('content-security-policy');
  });

  it('follows the options it is given', () => {
    expect(securityHeaders({ contentSecurityPolicy: false, frameguard: { action: 'sameorigin' } })['X-Frame-Options']).toBe('SAMEORIGIN');
  });
});
