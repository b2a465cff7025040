import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { RoleEnum } from '../tenants/user.model.js';
import type { ApiTokenEntity } from './api-token.entity.js';

@ObjectType('ApiToken', { description: 'An API token for automation (its secret is never shown again).' })
export class ApiToken {
  @Field(() => ID, { description: 'Token id.' })
  id!: string;

  @Field({ description: 'What the token is for.' })
  name!: string;

  @Field(() => RoleEnum, {
    description: "The most the token may do (never more than its creator's current role).",
  })
  role!: RoleEnum;

  @Field(() => ID, { description: 'The member who created it.' })
  createdByUserId!: string;

  @Field({ description: 'When it was created.' })
  createdAt!: Date;

  @Field({ description: 'When it stops working.' })
  expiresAt!: Date;

  @Field(() => Date, { nullable: true, description: 'When it was last used (to the minute), if ever.' })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it was revoked, if it was.' })
  revokedAt!: Date | null;

  @Field({ description: 'True while it is neither revoked nor expired.' })
  active!: boolean;
}

export function toApiToken(entity: ApiTokenEntity, now = Date.now()): ApiToken {
  return {
    id: entity.id,
    name: entity.name,
    role: entity.role as RoleEnum,
    createdByUserId: entity.createdByUserId,
    createdAt: entity.createdAt,
    expiresAt: entity.expiresAt,
    lastUsedAt: entity.lastUsedAt,
    revokedAt: entity.revokedAt,
    active: !entity.revokedAt && entity.expiresAt.getTime() > now,
  };
}

@ObjectType('CreatedApiToken', { description: 'A new API token and its secret, shown this once.' })
export class CreatedApiToken {
  @Field(() => ApiToken, { description: 'The token.' })
  apiToken!: ApiToken;

  @Field({ description: 'Use as `Authorization: Bearer <secret>`. Store it now: only a hash is kept.' })
  secret!: string;
}

@InputType({ description: 'A new API token.' })
export class CreateApiTokenInput {
  @Field({ description: 'What it is for (1–64 characters).' })
  name!: string;

  @Field(() => RoleEnum, { description: 'What it may do; at most your own role.' })
  role!: RoleEnum;

  @Field({ description: 'When it stops working: in the future, at most 366 days away.' })
  expiresAt!: Date;
}
