import { listResponse, parseListParams } from './list-params';
import { LIST_RESPONSE_SCHEMA } from './schemas';
import { catchScimError } from './scim-error.testing';

describe('parseListParams', () => {
  it('reads Okta test connection parameters', () => {
    expect(parseListParams({ startIndex: '1', count: '2' }, 100)).toEqual({ startIndex: 1, count: 2 });
  });

  it('defaults to startIndex 1 and the maximum count', () => {
    expect(parseListParams({}, 100)).toEqual({ startIndex: 1, count: 100 });
    expect(parseListParams({ startIndex: '', count: '' }, 100)).toEqual({ startIndex: 1, count: 100 });
  });

  it.each([
    [{ startIndex: '0' }, { startIndex: 1, count: 100 }],
    [{ startIndex: '-5' }, { startIndex: 1, count: 100 }],
    [{ count: '-1' }, { startIndex: 1, count: 0 }],
    [{ count: '0' }, { startIndex: 1, count: 0 }],
    [{ count: '1000' }, { startIndex: 1, count: 100 }],
    [{ startIndex: '101', count: '100' }, { startIndex: 101, count: 100 }],
    [{ startIndex: 3, count: 7 }, { startIndex: 3, count: 7 }],
    [{ startIndex: ' 2 ' }, { startIndex: 2, count: 100 }],
  ])('clamps %j', (query, expected) => {
    expect(parseListParams(query, 100)).toEqual(expected);
  });

  it('caps a huge startIndex at the largest safe integer', () => {
    expect(parseListParams({ startIndex: '99999999999999999999' }, 100).startIndex).toBe(Number.MAX_SAFE_INTEGER);
  });

  it.each([
    ['startIndex', { startIndex: 'abc' }, 'startIndex "abc" is invalid: send a whole number such as 1'],
    ['startIndex', { startIndex: '1.5' }, 'startIndex "1.5" is invalid: send a whole number such as 1'],
    ['count', { count: 2.5 }, 'count 2.5 is invalid: send a whole number such as 1'],
    ['count', { count: ['1', '2'] }, 'count ["1","2"] is invalid: send a whole number such as 1'],
    ['count', { count: '1e3' }, 'count "1e3" is invalid: send a whole number such as 1'],
  ])('rejects a non-integer %s', (_name, query, detail) => {
    const error = catchScimError(() => parseListParams(query, 100));
    expect(error.status).toBe(400);
    expect(error.scimType).toBe('invalidValue');
    expect(error.detail).toBe(detail);
  });
});

describe('listResponse', () => {
  it('builds the empty response Okta and Entra expect', () => {
    expect(listResponse([], 0, 1)).toEqual({
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
  });

  it('counts the resources of the page', () => {
    const response = listResponse([{ id: 'a' }, { id: 'b' }], 250, 101);
    expect(response.itemsPerPage).toBe(2);
    expect(response.totalResults).toBe(250);
    expect(response.startIndex).toBe(101);
  });

  it('rejects a string counter', () => {
    expect(() => listResponse([], '3' as unknown as number, 1)).toThrow(TypeError);
  });
});
