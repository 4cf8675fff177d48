import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '@scimify/config';
import { IntegrationsService } from '@scimify/integrations';
import { AuditRepository, createDataSource } from '@scimify/persistence';

const USAGE = `Usage: npm run scimify -- <command> [options]

Commands:
  integrations:create --name NAME (--api-key KEY | --api-key-stdin) [--transfer-email EMAIL] [--enable] [--issue-token]
      Creates an integration; with --issue-token also prints its SCIM token (shown once).
  integrations:list                     Lists integrations with their SCIM base URLs.
  integrations:enable ID                Enables provisioning for an integration.
  integrations:disable ID               Disables it: its SCIM endpoint answers 403.
  tokens:issue ID                       Issues a SCIM token (the oldest of two active ones is revoked).

Reads the same environment variables as the gateway (DATABASE_URL, SCIMIFY_ENCRYPTION_KEY, ...).`;

type Options = { name?: string; 'api-key'?: string; 'api-key-stdin'?: boolean; 'transfer-email'?: string; enable?: boolean; 'issue-token'?: boolean; help?: boolean };

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
    await run(new IntegrationsService(dataSource, new AuditRepository(dataSource), config), command, id, values);
  } finally {
    await dataSource.destroy();
  }
}

async function run(service: IntegrationsService, command: string, id: string | undefined, options: Options): Promise<void> {
  switch (command) {
    case 'integrations:create':
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
