export * from './reconcile-plan';
