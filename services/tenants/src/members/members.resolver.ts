import { type AuthenticatedIdentity, CurrentIdentity, RequireRole } from '@meshplane/platform';
import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { User } from '../tenants/user.model.js';
import { InviteMemberInput, MemberInvitation, UpdateMemberRoleInput } from './members.inputs.js';
import { MembersService } from './members.service.js';

@Resolver()
export class MembersResolver {
  constructor(private readonly service: MembersService) {}

  @Query(() => [User], { nullable: true, description: "The tenant's members, active and invited, by email." })
  members(@CurrentIdentity() identity: AuthenticatedIdentity) {
    return this.service.list(identity);
  }

  @RequireRole('admin')
  @Mutation(() => MemberInvitation, {
    nullable: true,
    description: 'Add a member by email with a role; they accept with the returned invitation token.',
  })
  inviteMember(@CurrentIdentity() identity: AuthenticatedIdentity, @Args('input') input: InviteMemberInput) {
    return this.service.invite(identity, input);
  }

  @RequireRole('admin')
  @Mutation(() => User, {
    nullable: true,
    description: "Change a member's role. The last owner cannot be demoted.",
  })
  updateMemberRole(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('input') input: UpdateMemberRoleInput,
  ) {
    return this.service.updateRole(identity, input);
  }

  @RequireRole('admin')
  @Mutation(() => User, {
    nullable: true,
    description:
      'Remove a member: their sessions and the API tokens they created stop working at once. The last owner cannot be removed.',
  })
  removeMember(
    @CurrentIdentity() identity: AuthenticatedIdentity,
    @Args('userId', { type: () => ID, description: 'The member to remove.' }) userId: string,
  ) {
    return this.service.remove(identity, userId);
  }
}
