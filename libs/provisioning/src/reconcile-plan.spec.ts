import { planReconcile, PlanInput } from './reconcile-plan';

function input(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    desired: { active: true, deleted: false, role: 'Member' },
    observedState: 'none',
    invitedRole: null,
    snapshot: { member: null, invite: null },
    transferEmail: null,
    ...overrides,
  };
}

describe('planReconcile', () => {
  it('invites an active user that the team does not hold', () => {
    expect(planReconcile(input({ desired: { active: true, deleted: false, role: 'Developer' } }))).toEqual([
      { kind: 'invite', role: 'Developer' },
    ]);
  });

  it('links an existing member instead of inviting', () => {
    const steps = planReconcile(input({ snapshot: { member: { accountId: 'acc1', roleCode: 'm' }, invite: null } }));
    expect(steps).toEqual([{ kind: 'link_member', accountId: 'acc1' }]);
  });

  it('links an existing invite instead of inviting', () => {
    const steps = planReconcile(input({ snapshot: { member: null, invite: { accountId: null } } }));
    expect(steps).toEqual([{ kind: 'link_invite', assumedRole: 'Member' }]);
  });

  it('leaves a pending invite with the same role alone', () => {
    const steps = planReconcile(
      input({ observedState: 'invited', invitedRole: 'Member', snapshot: { member: null, invite: { accountId: null } } }),
    );
    expect(steps).toEqual([]);
  });

  it('cancels and re-sends a pending invite on a role change', () => {
    const steps = planReconcile(
      input({
        desired: { active: true, deleted: false, role: 'Admin' },
        observedState: 'invited',
        invitedRole: 'Developer',
        snapshot: { member: null, invite: { accountId: null } },
      }),
    );
    expect(steps).toEqual([{ kind: 'cancel_invite' }, { kind: 'invite', role: 'Admin' }]);
  });

  it('notes a role change of a member without a call', () => {
    const steps = planReconcile(
      input({
        desired: { active: true, deleted: false, role: 'Admin' },
        observedState: 'member',
        snapshot: { member: { accountId: 'acc1', roleCode: 'm' }, invite: null },
      }),
    );
    expect(steps).toEqual([{ kind: 'note_role_not_applied', currentRole: 'Member', desiredRole: 'Admin' }]);
  });

  it('removes a deactivated member with the transfer email', () => {
    const steps = planReconcile(
      input({
        desired: { active: false, deleted: false, role: 'Member' },
        observedState: 'member',
        snapshot: { member: { accountId: 'acc1', roleCode: 'm' }, invite: null },
        transferEmail: 'archive@example.test',
      }),
    );
    expect(steps).toEqual([{ kind: 'remove_member', newOwnerEmail: 'archive@example.test' }]);
  });

  it('cancels the invite of a deleted user', () => {
    const steps = planReconcile(
      input({ desired: { active: true, deleted: true, role: 'Member' }, snapshot: { member: null, invite: { accountId: null } } }),
    );
    expect(steps).toEqual([{ kind: 'cancel_invite' }]);
  });

  it('marks an inactive user without access as removed once', () => {
    const inactive = { active: false, deleted: false, role: 'Member' as const };
    expect(planReconcile(input({ desired: inactive }))).toEqual([{ kind: 'mark_removed' }]);
    expect(planReconcile(input({ desired: inactive, observedState: 'removed' }))).toEqual([]);
  });
});
