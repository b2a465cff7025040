import { Field, ID, InputType, ObjectType } from '@nestjs/graphql';
import { RoleEnum, User } from '../tenants/user.model.js';

@InputType({ description: 'Invite someone to the tenant with a role.' })
export class InviteMemberInput {
  @Field({ description: 'Their email (unique in the tenant).' })
  email!: string;

  @Field(() => RoleEnum, { description: 'The role they get; only owners can invite owners.' })
  role!: RoleEnum;
}

@InputType({ description: "Change a member's role." })
export class UpdateMemberRoleInput {
  @Field(() => ID, { description: 'The member.' })
  userId!: string;

  @Field(() => RoleEnum, { description: 'The new role.' })
  role!: RoleEnum;
}

@ObjectType('MemberInvitation', {
  description: 'A pending member and the one-time token they accept the invitation with.',
})
export class MemberInvitation {
  @Field(() => User, { description: 'The invited member (status `invited` until accepted).' })
  member!: User;

  @Field({
    description:
      'Pass this to the invitee, who calls acceptInvitation with it. Shown once; only a hash is kept.',
  })
  invitationToken!: string;

  @Field({ description: 'When the invitation stops working.' })
  expiresAt!: Date;
}
