import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiProblems } from '../../../common/decorators/api-problems.decorator';
import { Role } from '../role';
import { Roles } from './roles.decorator';

/**
 * An operation's whole access contract: signed in, holding one of `roles` if given,
 * documented with bearer security and its 401/403 problem answers. The guard itself is
 * global (AuthGuard), so every route is protected even without this decorator.
 */
export function Auth(...roles: Role[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiBearerAuth('bearer'),
    ApiProblems({
      401: 'Missing, invalid or expired credentials',
      403: 'The caller may not do this',
    }),
    ...(roles.length > 0 ? [Roles(...roles)] : []),
  );
}
