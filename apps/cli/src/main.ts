import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AppConfig, loadConfig } from '@scimify/config';
import { IntegrationsService, isUuid } from '@scimify/integrations';
import { AuditRepository, createDataSource, DryRunRepository, HeldRemovalRepository } from '@scimify/persistence';
import { DataSource } from 'typeorm';

const USAGE = `Usage: npm run scimify -- <command> [options]

Commands:
  integrations:create --name NAME (--api-key KEY | --api-key-stdin) [--transfer-email EMAIL] [--enable] [--issue-token]
      Creates an integration; with --issue-token also prints its SCIM token (shown once).
  integrations:list                     Lists integrations with their SCIM base URLs.
  integrations:enable ID                Enables provisioning for an integration.
  integrations:disable ID               Disables it: its SCIM endpoint answers 403.
  tokens:issue ID                       Issues a SCIM token (the oldest of two active ones is revoked).
  removals:list ID                      Lists the removals that the mass-removal guard holds.
  removals:release ID [--user USER_ID]...
      Lets the held removals through (the users leave the team); without --user, all of them.
  removals:discard ID [--user USER_ID]...
      Drops the held removals (the users stay and become active in Scimify); without --user, all of them.
  dry-run:start ID                      Starts dry run: the worker audits the calls it would make and makes none.
  dry-run:stop ID                       Stops dry run and queues every user of the integration again.

The worker applies a release, a discard or the end of a dry run at its next sweep (SWEEP_INTERVAL_SECONDS).

Reads the same environment variables as the gateway (DATABASE_URL, SCIMIFY_ENCRYPTION_KEY, ...).`;

type Options = {
  name?: string;
  'api-key'?: string;
  'api-key-stdin'?: boolean;
  'transfer-email'?: string;
  enable?: boolean;
  'issue-token'?: boolean;
  user?: string[];
  help?: boolean;
};

interface Services {
  integrations: IntegrationsService;
  heldRemovals: HeldRemovalRepository;
  dryRun: DryRunRepository;
  config: AppConfig;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'api-key': { type: 'string' },
      'api-key-stdin': { type: 'boolean' },
      'transfer-email': { type: 'string' },
      enable: { type: 'boolean' },
      'issue-token': { type: 'boolean' },
      user: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, id] = positionals;

  if (values.help || !command) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }

  const config = loadConfig();
  const dataSource = createDataSource(config.DATABASE_URL);
  await dataSource.initialize();

  try {
    await run(services(dataSource, config), command, id, values);
  } finally {
    await dataSource.destroy();
  }
}

function services(dataSource: DataSource, config: AppConfig): Services {
  const audit = new AuditRepository(dataSource);
  return {
    integrations: new IntegrationsService(dataSource, audit, config),
    heldRemovals: new HeldRemovalRepository(dataSource, audit),
    dryRun: new DryRunRepository(dataSource, audit),
    config,
  };
}

async function run(services: Services, command: string, id: string | undefined, options: Options): Promise<void> {
  const service = services.integrations;

  switch (command) {
    case 'integrations:create':
      // A key that differs from the apps' would store an API key that the worker cannot decrypt.
      await service.verifyEncryptionKey();
      return createIntegration(service, options);
    case 'integrations:list':
      for (const integration of await service.list()) {
        print({ id: integration.id, displayName: integration.displayName, enabled: integration.enabled, 'SCIM base URL': integration.scimBaseUrl });
      }
      return;
    case 'integrations:enable':
    case 'integrations:disable': {
      const view = await service.setEnabled(requireId(id, command), command === 'integrations:enable');
      print({ id: view.id, enabled: view.enabled, 'SCIM base URL': view.scimBaseUrl });
      return;
    }
    case 'tokens:issue': {
      const issued = await service.issueToken(requireId(id, command));
      print({ 'SCIM base URL': issued.scimBaseUrl, 'SCIM token': issued.token });
      return;
    }
    case 'removals:list':
      return listHeldRemovals(services, requireId(id, command));
    case 'removals:release':
    case 'removals:discard':
      return decideHeldRemovals(services, command, requireId(id, command), options.user);
    case 'dry-run:start':
    case 'dry-run:stop': {
      const integrationId = (await service.get(requireId(id, command))).id;
      const state = await services.dryRun.set(integrationId, command === 'dry-run:start', cliRequestId());
      print({ id: integrationId, 'dry run': state.dryRun });
      if (!state.dryRun) printSweepNote(services.config);
      return;
    }
    default:
      throw new Error(`Unknown command "${command}": run npm run scimify -- --help`);
  }
}

async function createIntegration(service: IntegrationsService, options: Options): Promise<void> {
  const apiKey = options['api-key-stdin'] ? (await readStdin()).trim() : options['api-key'];
  if (!options.name || !apiKey) throw new Error('integrations:create needs --name and --api-key (or --api-key-stdin)');

  const created = await service.create({ displayName: options.name, apiKey, transferEmail: options['transfer-email'] ?? null });
  const view = options.enable ? await service.setEnabled(created.id, true) : created;
  print({ id: view.id, displayName: view.displayName, enabled: view.enabled, 'SCIM base URL': view.scimBaseUrl });

  if (options['issue-token']) print({ 'SCIM token': (await service.issueToken(view.id)).token });
}

async function listHeldRemovals(services: Services, id: string): Promise<void> {
  const integrationId = (await services.integrations.get(id)).id;
  const heldRemovals = await services.heldRemovals.list(integrationId);
  if (heldRemovals.length === 0) {
    process.stdout.write('No removals are held.\n');
    return;
  }

  for (const removal of heldRemovals) {
    print({ 'user id': removal.userId, userName: removal.userName, email: removal.email ?? '', deleted: removal.deleted, 'held at': new Date(removal.heldAt).toISOString() });
    process.stdout.write('\n');
  }
}

async function decideHeldRemovals(services: Services, command: 'removals:release' | 'removals:discard', id: string, userIds: string[] | undefined): Promise<void> {
  const invalid = userIds?.find((userId) => !isUuid(userId));
  if (invalid !== undefined) throw new Error(`--user ${invalid} is invalid: give a user id (UUID) from removals:list`);

  const integrationId = (await services.integrations.get(id)).id;
  const changed =
    command === 'removals:release'
      ? await services.heldRemovals.release(integrationId, userIds, cliRequestId())
      : await services.heldRemovals.discard(integrationId, userIds, cliRequestId());

  process.stdout.write(`${command === 'removals:release' ? 'Released' : 'Discarded'} ${changed.length} held removal(s).\n`);
  for (const user of changed) process.stdout.write(`  ${user.userName} (${user.id})\n`);
  if (changed.length > 0) printSweepNote(services.config);
}

function printSweepNote(config: AppConfig): void {
  process.stdout.write(`The worker applies the change at its next sweep, within ${config.SWEEP_INTERVAL_SECONDS} s.\n`);
}

/** Returns the request id that the audit records of a command carry. */
function cliRequestId(): string {
  return `cli-${randomUUID()}`;
}

function requireId(id: string | undefined, command: string): string {
  if (!id) throw new Error(`${command} needs an integration id: run npm run scimify -- integrations:list`);
  return id;
}

function print(fields: Record<string, unknown>): void {
  for (const [label, value] of Object.entries(fields)) process.stdout.write(`${label}: ${String(value)}\n`);
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
