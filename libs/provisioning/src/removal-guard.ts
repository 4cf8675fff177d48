import { PlanStep } from './reconcile-plan';

/** Limits of the mass-removal guard for one integration. */
export interface RemovalLimits {
  maxCount: number;
  maxPercent: number;
  /** Removals per window that the percent limit never holds. */
  minCount: number;
  windowMinutes: number;
}

export interface RemovalCounts {
  /** Removals the integration started within the window, not counting the one being decided. */
  removedInWindow: number;
  /** Users of the integration that are invited or members, plus those removed within the window. */
  baseUsers: number;
}

export interface RemovalDecision {
  held: boolean;
  /** Removals within the window once this one is applied. */
  removalsAfter: number;
  /** Removals the limits allow within the window. */
  allowed: number;
}

/**
 * Returns true when the steps take access away because the user is inactive or deleted. The
 * cancel of a role-change re-invite is followed by an invite, so it is not a removal.
 */
export function isRemovalPlan(steps: PlanStep[]): boolean {
  const removes = steps.some((step) => step.kind === 'remove_member' || step.kind === 'cancel_invite');
  const invites = steps.some((step) => step.kind === 'invite');

  return removes && !invites;
}

/**
 * Decides whether one more removal stays within the limits. The removal is held when it would
 * exceed maxCount, or exceed maxPercent of the base users while also exceeding minCount.
 */
export function decideRemoval(counts: RemovalCounts, limits: RemovalLimits): RemovalDecision {
  const removalsAfter = counts.removedInWindow + 1;
  const percentAllowed = Math.max(limits.minCount, Math.floor((counts.baseUsers * limits.maxPercent) / 100));
  const allowed = Math.min(limits.maxCount, percentAllowed);

  return { held: removalsAfter > allowed, removalsAfter, allowed };
}

/** Reads per-integration overrides from `settings.massRemoval`, falling back to the defaults. */
export function removalLimitsOf(settings: Record<string, unknown>, defaults: RemovalLimits): RemovalLimits {
  const overrides = typeof settings.massRemoval === 'object' && settings.massRemoval !== null ? (settings.massRemoval as Record<string, unknown>) : {};
  const pick = (key: keyof RemovalLimits): number => {
    const value = overrides[key];
    return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : defaults[key];
  };

  return { maxCount: pick('maxCount'), maxPercent: pick('maxPercent'), minCount: pick('minCount'), windowMinutes: Math.max(1, pick('windowMinutes')) };
}
