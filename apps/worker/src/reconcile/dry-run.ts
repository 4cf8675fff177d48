import { IntegrationEntity } from '@scimify/persistence';
import { PlanStep } from '@scimify/provisioning';

/** A Dropbox Sign call that dry run records in place of making it. */
export interface DryRunCall {
  action: 'dry_run.add_member' | 'dry_run.remove_member';
  details: Record<string, unknown>;
}

export function isDryRun(integration: IntegrationEntity): boolean {
  return integration.settings?.dryRun === true;
}

/**
 * Lists the calls that the steps would make, with the parameters the worker would send. Link
 * and note steps make no call, so they have no entry.
 */
export function dryRunCalls(steps: PlanStep[], email: string, teamId: string): DryRunCall[] {
  const calls: DryRunCall[] = [];

  for (const step of steps) {
    if (step.kind === 'invite') calls.push({ action: 'dry_run.add_member', details: { email, role: step.role, teamId } });
    if (step.kind === 'cancel_invite') calls.push({ action: 'dry_run.remove_member', details: { email, operation: 'cancel_invite', newOwnerEmail: null } });
    if (step.kind === 'remove_member') calls.push({ action: 'dry_run.remove_member', details: { email, operation: 'remove_member', newOwnerEmail: step.newOwnerEmail } });
  }

  return calls;
}
