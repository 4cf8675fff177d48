import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@scimify/config';
import { AuditRepository, IntegrationEntity, ScimUserEntity, ScimUserRepository, sqlStateOf } from '@scimify/persistence';
import { applyUserPatch, CompiledFilter, compileUserFilter, ListResponse, listResponse, parseListParams, parseUserResource, ScimError, UserInput } from '@scimify/scim';
import { DataSource, EntityManager } from 'typeorm';
import { createRejectionFor } from './create-rejection';
import { etagHeaderMatches } from './etag';
import { ProvisioningQueueService } from './provisioning-queue.service';
import { toScimUser } from './user-view';

export interface ScimCallContext {
  integration: IntegrationEntity;
  requestId: string;
  scimBaseUrl: string;
}

export interface WriteResult {
  resource: Record<string, unknown>;
  user: ScimUserEntity;
}

/** Postgres error code of a unique index violation. */
const UNIQUE_VIOLATION = '23505';
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * SCIM User operations. Each write stores the desired state and an audit record in one
 * transaction, then enqueues the reconcile and waits for it up to SCIM_SYNC_WAIT_MS.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: ScimUserRepository,
    private readonly audit: AuditRepository,
    private readonly queue: ProvisioningQueueService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async get(context: ScimCallContext, id: string): Promise<WriteResult> {
    const user = await this.findOrThrow(context, id);
    return { user, resource: toScimUser(user, context.scimBaseUrl) };
  }

  async list(context: ScimCallContext, query: Record<string, unknown>): Promise<ListResponse<Record<string, unknown>>> {
    const { startIndex, count } = parseListParams(query, this.config.SCIM_MAX_RESULTS);
    const filter = compiledFilterOf(query);
    const page = await this.users.listPage(context.integration.id, filter, startIndex, count);

    return listResponse(page.users.map((user) => toScimUser(user, context.scimBaseUrl)), page.totalResults, startIndex);
  }

  async create(context: ScimCallContext, body: unknown): Promise<WriteResult> {
    const input = requireEmail(parseUserResource(body));
    const user = await this.insert(context, input);

    const waited = await this.queue.enqueueAndWait({ integrationId: user.integrationId, userId: user.id, generation: 1 }, !user.active);
    // Without a wait the worker has reported nothing yet, so the response is the inserted row.
    const current = waited ? await this.reload(context, user.id) : user;

    const rejection = createRejectionFor(current);
    if (rejection) {
      await this.rollBackCreate(context, current, rejection);
      throw rejection;
    }

    return { user: current, resource: toScimUser(current, context.scimBaseUrl) };
  }

  async replace(context: ScimCallContext, id: string, body: unknown, ifMatch?: string): Promise<WriteResult> {
    const input = requireEmail(parseUserResource(body));
    return this.update(context, id, ifMatch, 'user_replaced', () => input);
  }

  async patch(context: ScimCallContext, id: string, body: unknown, ifMatch?: string): Promise<WriteResult> {
    return this.update(context, id, ifMatch, 'user_patched', (user) => {
      const current: Record<string, unknown> = { ...user.resource, userName: user.userName, active: user.active };
      if (user.externalId !== null) current.externalId = user.externalId;

      return requireEmail(parseUserResource(applyUserPatch(current, body)));
    });
  }

  /** Deletes the user for SCIM at once; the worker removes it from Dropbox Sign. */
  async delete(context: ScimCallContext, id: string, ifMatch?: string): Promise<void> {
    const user = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lockOrThrow(manager, context, id, ifMatch);
      await manager.query(
        `UPDATE scim_user SET deleted_at = now(), active = false, desired_generation = desired_generation + 1,
           version = version + 1, updated_at = now() WHERE id = $1`,
        [locked.id],
      );
      await this.audit.record(this.event(context, locked.id, 'user_deleted', { userName: locked.userName }), manager);
      return locked;
    });

    await this.queue.enqueueAndWait({ integrationId: user.integrationId, userId: user.id, generation: user.desiredGeneration + 1 }, true);
  }

  private async update(
    context: ScimCallContext,
    id: string,
    ifMatch: string | undefined,
    action: string,
    buildInput: (user: ScimUserEntity) => UserInput,
  ): Promise<WriteResult> {
    const { user, desiredChanged } = await this.dataSource.transaction(async (manager) => {
      const locked = await this.lockOrThrow(manager, context, id, ifMatch);
      const input = buildInput(locked);
      return this.applyUpdate(manager, context, locked, input, action);
    });

    if (desiredChanged) {
      await this.queue.enqueueAndWait({ integrationId: user.integrationId, userId: user.id, generation: user.desiredGeneration }, !user.active);
    }

    const current = await this.reload(context, user.id);
    return { user: current, resource: toScimUser(current, context.scimBaseUrl) };
  }

  private async applyUpdate(
    manager: EntityManager,
    context: ScimCallContext,
    user: ScimUserEntity,
    input: UserInput,
    action: string,
  ): Promise<{ user: ScimUserEntity; desiredChanged: boolean }> {
    // A PUT without `active` keeps the user's state: Okta's profile pushes must not deactivate anyone.
    const active = input.activeProvided ? input.active : user.active;
    const changes = { active: active !== user.active, role: input.role !== user.role };
    const desiredChanged = changes.active || changes.role;

    user.userName = input.userName;
    user.externalId = input.externalId;
    user.email = input.email ?? user.email;
    user.resource = input.resource;
    user.active = active;
    user.role = input.role;
    user.version += 1;
    if (desiredChanged) user.desiredGeneration += 1;

    await this.saveUnique(manager, user);
    await this.audit.record(this.event(context, user.id, action, { userName: user.userName, active, role: input.role, changes }), manager);

    return { user, desiredChanged };
  }

  private async insert(context: ScimCallContext, input: UserInput): Promise<ScimUserEntity> {
    const { userName, externalId, email, resource, active, role } = input;
    const audit = { actor: 'idp' as const, action: 'user_created', outcome: 'success' as const, requestId: context.requestId, details: { userName, externalId, active, role } };

    try {
      return await this.users.insertWithAudit({ integrationId: context.integration.id, userName, externalId, email, resource, active, role }, audit);
    } catch (error) {
      throw uniquenessError(error, userName);
    }
  }

  /** Deletes a new user whose invitation Dropbox Sign rejected, so that the failed create leaves nothing stored. */
  private async rollBackCreate(context: ScimCallContext, user: ScimUserEntity, rejection: ScimError): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.query(`DELETE FROM scim_user WHERE id = $1`, [user.id]);
      await this.audit.record(this.event(context, user.id, 'user_create_rejected', { userName: user.userName, reason: rejection.detail }, 'failure'), manager);
    });
  }

  private async saveUnique(manager: EntityManager, user: ScimUserEntity): Promise<void> {
    try {
      await manager.save(ScimUserEntity, user);
    } catch (error) {
      throw uniquenessError(error, user.userName);
    }
  }

  private async lockOrThrow(manager: EntityManager, context: ScimCallContext, id: string, ifMatch?: string): Promise<ScimUserEntity> {
    const user = UUID_PATTERN.test(id) ? await this.users.lockLive(manager, context.integration.id, id) : null;
    if (!user) throw notFound(id);

    // RFC 7644 §3.14: a stale If-Match means the client would overwrite a change it has not seen.
    if (ifMatch && !etagHeaderMatches(ifMatch, user.version)) {
      throw new ScimError(412, `If-Match ${ifMatch} does not match the current version W/"${user.version}" of user ${id}: read the user again and retry`);
    }

    return user;
  }

  private async findOrThrow(context: ScimCallContext, id: string): Promise<ScimUserEntity> {
    const user = UUID_PATTERN.test(id) ? await this.users.findLive(context.integration.id, id) : null;
    if (!user) throw notFound(id);

    return user;
  }

  private async reload(context: ScimCallContext, id: string): Promise<ScimUserEntity> {
    const user = await this.users.findAny(context.integration.id, id);
    if (!user) throw notFound(id);

    return user;
  }

  private event(context: ScimCallContext, userId: string, action: string, details: Record<string, unknown>, outcome: 'success' | 'failure' = 'success') {
    return { integrationId: context.integration.id, userId, actor: 'idp' as const, action, outcome, requestId: context.requestId, details };
  }
}

/** Compiles the `filter` query parameter with placeholders from $2, because the list query binds the integration id as $1. */
function compiledFilterOf(query: Record<string, unknown>): CompiledFilter | null {
  if (Array.isArray(query.filter)) {
    throw new ScimError(400, `filter is given ${query.filter.length} times: send one filter and join the conditions with "and"`, 'invalidFilter');
  }

  return typeof query.filter === 'string' && query.filter.trim() !== '' ? compileUserFilter(query.filter, 2) : null;
}

/** Turns a unique index violation on userName into SCIM's 409 uniqueness; returns other errors unchanged. */
function uniquenessError(error: unknown, userName: string): unknown {
  if (sqlStateOf(error) === UNIQUE_VIOLATION) {
    return new ScimError(409, `A user with userName "${userName}" already exists in this integration (userName is compared case-insensitively)`, 'uniqueness');
  }

  return error;
}

function notFound(id: string): ScimError {
  return new ScimError(404, `User ${id} not found in this integration`);
}

/** Dropbox Sign invites by email, so a user needs one. */
function requireEmail(input: UserInput): UserInput {
  if (input.email) return input;

  throw new ScimError(
    400,
    `User "${input.userName}" has no email address: send a work address in "emails" or use an email address as userName`,
    'invalidValue',
  );
}
