export * from './integration-changes';
export * from './integration.exception';
export * from './integrations.service';
export * from './secret-box';
