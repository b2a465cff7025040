import {
  type CanActivate,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AppError } from '../errors/error-codes.js';
import { type AuthenticatedIdentity, type Identity, type Role, roleAtLeast } from './identity.js';

/** What subgraph resolvers find in their GraphQL context. */
export interface GraphQLRequestContext {
  identity: Identity;
}

/**
 * The caller's tenant, for code that holds the request's context rather than the identity (a
 * per-request batch). Tenant data is only read for signed-in callers; an anonymous one here is a
 * bug, refused rather than read with no tenant.
 */
export function tenantOf(context: GraphQLRequestContext): string {
  const { identity } = context;
  if (identity.kind === 'anonymous') throw new Error('tenantOf: an anonymous caller reached tenant data');
  return identity.tenantId;
}

const PUBLIC_KEY = 'meshplane:public';
const ROLE_KEY = 'meshplane:role';

/** Marks a resolver as callable without a signed-in caller (sign-up, login). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);

/** The least role a resolver needs; without it, any member (viewer and up) may call it. */
export const RequireRole = (role: Role) => SetMetadata(ROLE_KEY, role);

function identityOf(context: ExecutionContext): Identity | undefined {
  return GqlExecutionContext.create(context).getContext<GraphQLRequestContext>().identity;
}

/** The authenticated caller of a resolver (the roles guard has already refused anonymous ones). */
export const CurrentIdentity = createParamDecorator((_data: unknown, context: ExecutionContext) => {
  return identityOf(context) as AuthenticatedIdentity;
});

/** Global guard: every resolver needs a signed-in member with enough role unless marked @Public(). */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType<string>() !== 'graphql') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const identity = identityOf(context);
    if (!identity || identity.kind === 'anonymous') {
      throw new AppError('unauthenticated', 'UNAUTHENTICATED', 'sign in to do this');
    }
    const required = this.reflector.getAllAndOverride<Role>(ROLE_KEY, targets) ?? 'viewer';
    if (!roleAtLeast(identity.role, required)) {
      throw new AppError('forbidden', 'FORBIDDEN', `this needs the ${required} role or higher`, {
        requiredRole: required,
      });
    }
    return true;
  }
}
