import { decideRemoval, isRemovalPlan, removalLimitsOf } from './removal-guard';

const LIMITS = { maxCount: 50, maxPercent: 20, minCount: 3, windowMinutes: 60 };

describe('isRemovalPlan', () => {
  it('counts a member removal', () => {
    expect(isRemovalPlan([{ kind: 'remove_member', newOwnerEmail: null }])).toBe(true);
  });

  it('counts an invite cancel of a leaver', () => {
    expect(isRemovalPlan([{ kind: 'cancel_invite' }])).toBe(true);
  });

  it('ignores a role-change re-invite', () => {
    expect(isRemovalPlan([{ kind: 'cancel_invite' }, { kind: 'invite', role: 'Admin' }])).toBe(false);
  });

  it('ignores marking an absent user removed', () => {
    expect(isRemovalPlan([{ kind: 'mark_removed' }])).toBe(false);
  });
});

describe('decideRemoval', () => {
  it('allows removals up to minCount in a small team', () => {
    expect(decideRemoval({ removedInWindow: 2, baseUsers: 4 }, LIMITS).held).toBe(false);
    expect(decideRemoval({ removedInWindow: 3, baseUsers: 4 }, LIMITS).held).toBe(true);
  });

  it('holds above the percent of base users', () => {
    expect(decideRemoval({ removedInWindow: 19, baseUsers: 100 }, LIMITS).held).toBe(false);
    expect(decideRemoval({ removedInWindow: 20, baseUsers: 100 }, LIMITS)).toEqual({ held: true, removalsAfter: 21, allowed: 20 });
  });

  it('holds above maxCount whatever the percent', () => {
    expect(decideRemoval({ removedInWindow: 50, baseUsers: 10_000 }, LIMITS).held).toBe(true);
  });
});

describe('removalLimitsOf', () => {
  it('takes integer overrides and ignores others', () => {
    const limits = removalLimitsOf({ massRemoval: { maxCount: 2, maxPercent: 'x', minCount: -1 } }, LIMITS);
    expect(limits).toEqual({ maxCount: 2, maxPercent: 20, minCount: 3, windowMinutes: 60 });
  });
});
