import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { ClientProxy, ClientProxyFactory, Transport } from '@nestjs/microservices';
import { APP_CONFIG, AppConfig, redisOptionsFromUrl } from '@scimify/config';
import { TestConnectionRequest, TestConnectionResult, testConnectionPattern } from '@scimify/jobs';
import { firstValueFrom, timeout } from 'rxjs';

const TEST_CONNECTION_TIMEOUT_MS = 30_000;

/** Asks a worker, over the Redis transport, to call GET /account with an integration's key. */
@Injectable()
export class TestConnectionClient implements OnModuleDestroy {
  private readonly client: ClientProxy;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.client = ClientProxyFactory.create({ transport: Transport.REDIS, options: redisOptionsFromUrl(config.REDIS_URL) });
  }

  async test(integrationId: string): Promise<TestConnectionResult> {
    const request: TestConnectionRequest = { integrationId };
    const reply = this.client.send<TestConnectionResult>(testConnectionPattern(this.config.QUEUE_PREFIX), request);

    return firstValueFrom(reply.pipe(timeout(TEST_CONNECTION_TIMEOUT_MS)));
  }

  async onModuleDestroy(): Promise<void> {
    await this.client.close();
  }
}
