import { Provider } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { DropboxSignClient } from '@scimify/dropbox-sign';
import { MetricsService } from '@scimify/jobs';
import { CallPacerService } from './rate-limit/call-pacer.service';

/** The Dropbox Sign client, paced per API key by the Redis limiter that every replica shares. */
export const dropboxSignClientProvider: Provider = {
  provide: DropboxSignClient,
  inject: [APP_CONFIG, CallPacerService, MetricsService],
  useFactory: (config: AppConfig, pacer: CallPacerService, metrics: MetricsService) =>
    new DropboxSignClient({
      baseUrl: config.DROPBOX_SIGN_API_URL,
      timeoutMs: config.DROPBOX_SIGN_TIMEOUT_MS,
      pacer,
      onCallFinished: (call) => metrics.observeDropboxSignCall(call.method, call.endpoint, call.status, call.seconds),
    }),
};
