import { etagHeaderMatches } from './etag';

describe('etagHeaderMatches', () => {
  it('matches the weak tag of the version', () => {
    expect(etagHeaderMatches('W/"3"', 3)).toBe(true);
  });

  it('matches the tag without the weak prefix', () => {
    expect(etagHeaderMatches('"3"', 3)).toBe(true);
  });

  it('matches one tag of a list', () => {
    expect(etagHeaderMatches('W/"1", W/"3" ,"7"', 3)).toBe(true);
  });

  it('matches any version with a star', () => {
    expect(etagHeaderMatches(' * ', 42)).toBe(true);
  });

  it('rejects another version', () => {
    expect(etagHeaderMatches('W/"2"', 3)).toBe(false);
    expect(etagHeaderMatches('W/"33"', 3)).toBe(false);
  });

  it('rejects an unquoted or missing tag', () => {
    expect(etagHeaderMatches('3', 3)).toBe(false);
    expect(etagHeaderMatches(undefined, 3)).toBe(false);
    expect(etagHeaderMatches('', 3)).toBe(false);
  });
});
