import { cloneJson } from './json';

describe('cloneJson', () => {
  it('copies nested objects and arrays', () => {
    const original = { userName: 'a@example.test', emails: [{ value: 'a@example.test', primary: true }], name: { givenName: 'A' }, active: null };
    const copy = cloneJson(original);

    copy.emails[0].value = 'b@example.test';
    copy.name.givenName = 'B';

    expect(copy).not.toBe(original);
    expect(original).toEqual({ userName: 'a@example.test', emails: [{ value: 'a@example.test', primary: true }], name: { givenName: 'A' }, active: null });
    expect(copy).toEqual({ userName: 'a@example.test', emails: [{ value: 'b@example.test', primary: true }], name: { givenName: 'B' }, active: null });
  });

  it('returns scalars unchanged', () => {
    expect([cloneJson('x'), cloneJson(1.5), cloneJson(false), cloneJson(null)]).toEqual(['x', 1.5, false, null]);
  });

  it('keeps __proto__ as an own key', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "userName": "a"}') as Record<string, unknown>;
    const copy = cloneJson(parsed);

    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect((copy as { polluted?: boolean }).polluted).toBeUndefined();
    expect(Object.keys(copy)).toEqual(['__proto__', 'userName']);
    expect(copy['__proto__']).toEqual({ polluted: true });
  });
});
