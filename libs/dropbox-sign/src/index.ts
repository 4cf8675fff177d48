export * from './dropbox-sign.client';
export * from './dropbox-sign.exception';
export * from './dropbox-sign.types';
