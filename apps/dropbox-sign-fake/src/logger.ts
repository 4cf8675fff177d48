import pino from 'pino';

/** Logger of the fake's process, writing pino JSON lines to stdout. */
export const logger = pino({ name: 'dropbox-sign-fake' });
