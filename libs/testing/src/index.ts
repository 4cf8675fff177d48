export * from './test-config';
export * from './test-services';
export * from './fake-dropbox-sign.client';
export * from './tcp-proxy';
