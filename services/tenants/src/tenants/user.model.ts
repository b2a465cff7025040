import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Tenant } from './tenant.model.js';
import { isActiveMember, type UserEntity } from './user.entity.js';

export enum RoleEnum {
  viewer = 'viewer',
  editor = 'editor',
  admin = 'admin',
  owner = 'owner',
}

registerEnumType(RoleEnum, {
  name: 'Role',
  description:
    'What a member may do: viewers read, editors change clusters and policies, admins manage members and tokens, owners everything.',
});

export enum MemberStatus {
  active = 'active',
  invited = 'invited',
}

registerEnumType(MemberStatus, {
  name: 'MemberStatus',
  description: 'Whether a member can sign in (active) or has an invitation still to accept (invited).',
});

@ObjectType('User', { description: 'A member of a tenant.' })
export class User {
  @Field(() => ID, { description: 'User id.' })
  id!: string;

  @Field({ description: 'Login email, lower-cased.' })
  email!: string;

  @Field(() => RoleEnum, { description: 'Role in the tenant.' })
  role!: RoleEnum;

  @Field(() => MemberStatus, { description: 'Active, or invited and not signed in yet.' })
  status!: MemberStatus;

  @Field({ description: 'When the member was added.' })
  createdAt!: Date;
}

/** The GraphQL view of a member row: never its password or invitation hashes. */
export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    role: entity.role as RoleEnum,
    status: isActiveMember(entity) ? MemberStatus.active : MemberStatus.invited,
    createdAt: entity.createdAt,
  };
}

@ObjectType('Viewer', { description: 'The caller: who they are, in which tenant, with which role.' })
export class Viewer {
  @Field(() => User, { description: 'The signed-in user (for an API token, the user who created it).' })
  user!: User;

  @Field(() => Tenant, { description: 'The tenant the request acts in.' })
  tenant!: Tenant;

  @Field(() => RoleEnum, { description: 'The role this request acts with.' })
  role!: RoleEnum;

  @Field({ description: 'True when the request is authenticated with an API token.' })
  viaApiToken!: boolean;
}
