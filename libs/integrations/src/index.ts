export * from './integration.exception';
export * from './integrations.service';
export * from './secret-box';
