import { AuditEventEntity } from './audit-event.entity';
import { IntegrationEntity } from './integration.entity';
import { ScimTokenEntity } from './scim-token.entity';
import { ScimUserEntity } from './scim-user.entity';
import { TeamInviteEntity, TeamMemberEntity } from './team-snapshot.entity';

export * from './audit-event.entity';
export * from './integration.entity';
export * from './scim-token.entity';
export * from './scim-user.entity';
export * from './team-snapshot.entity';

export const ENTITIES = [
  IntegrationEntity,
  ScimTokenEntity,
  ScimUserEntity,
  TeamMemberEntity,
  TeamInviteEntity,
  AuditEventEntity,
];
