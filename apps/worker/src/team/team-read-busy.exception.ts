/** Raised when another worker is reading the integration's team. The job tries again shortly and then finds the fresh snapshot. */
export class TeamReadBusyException extends Error {
  constructor(readonly integrationId: string) {
    super(`Another worker is reading the Dropbox Sign team of integration ${integrationId}`);
    this.name = 'TeamReadBusyException';
  }
}
