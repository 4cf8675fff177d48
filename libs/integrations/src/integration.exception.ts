export enum IntegrationErrorCode {
  NotFound = 'integration_not_found',
  InvalidInput = 'invalid_input',
}

/** A domain error of integration management; the admin API maps the code to an HTTP status. */
export class IntegrationException extends Error {
  constructor(
    readonly code: IntegrationErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'IntegrationException';
  }
}
