import { SetMetadata } from '@nestjs/common';
import { Role } from '../role';

export const ROLES_KEY = 'kiln:roles';

/** Lets only callers holding one of these roles through; admins always pass. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);
