import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { ApiProblems } from '../../../common/decorators/api-problems.decorator';
import { Role } from '../role';
import { Roles } from './roles.decorator';

/** Lists an operation's roles in the spec, so tests and clients can tell who may call it. */
export const ROLES_EXTENSION = 'x-kiln-roles';

/**
 * An operation's whole access contract: signed in, holding one of `roles` if given,
 * documented with bearer security, the roles (`x-kiln-roles`) and its 401/403 problem
 * answers. The guard itself is global (AuthGuard), so every route is protected even
 * without this decorator.
 */
export function Auth(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth('bearer'),
    ApiProblems({
      401: 'Missing, invalid or expired credentials',
      403: 'The caller may not do this',
    }),
    ...(roles.length > 0 ? [Roles(...roles), ApiExtension(ROLES_EXTENSION, roles)] : []),
  );
}
