import { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { DropboxSignClient } from '@scimify/dropbox-sign';

export const dropboxSignClientProvider: Provider = {
  provide: DropboxSignClient,
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) =>
    new DropboxSignClient({ baseUrl: config.DROPBOX_SIGN_API_URL, timeoutMs: config.DROPBOX_SIGN_TIMEOUT_MS }),
};
