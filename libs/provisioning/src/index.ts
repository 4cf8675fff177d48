export * from './reconcile-plan';
export * from './removal-guard';
