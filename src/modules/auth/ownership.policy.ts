// Who may see and change a resource that belongs to a user (a task, a service, ...).
// Members see only their own, and another member's resource answers 404 so ids cannot
// be probed; viewers see everything and change nothing (403); admins do everything.
import { Injectable } from '@nestjs/common';
import { NotFoundError } from '../../common/errors/domain-error';
import { ForbiddenError } from './auth.errors';
import { Principal } from './principal';
import { Role, strongestRole } from './role';

@Injectable()
export class OwnershipPolicy {
  /** The owner id a list must be limited to, or undefined when the caller sees all. */
  listableOwner(principal: Principal): string | undefined {
    return strongestRole(principal.roles) === Role.Member ? principal.userId : undefined;
  }

  canSee(principal: Principal, ownerId: string): boolean {
    return strongestRole(principal.roles) !== Role.Member || ownerId === principal.userId;
  }

  /** Throws NotFoundError (`${what} not found.`) when the caller may not see the resource. */
  assertCanRead(principal: Principal, ownerId: string, what: string): void {
    if (!this.canSee(principal, ownerId)) throw new NotFoundError(`${what} not found.`);
  }

  /**
   * Whether the caller may read values a resource's owner may have put secrets in (a
   * task's env): its owner and admins; viewers read everything else of it.
   */
  canSeeSecrets(principal: Principal, ownerId: string): boolean {
    return ownerId === principal.userId || strongestRole(principal.roles) === Role.Admin;
  }

  /** Viewers create nothing. */
  assertCanCreate(principal: Principal): void {
    if (strongestRole(principal.roles) === Role.Viewer) {
      throw new ForbiddenError('Viewers have read-only access.');
    }
  }

  /** 404 when the caller cannot even see it, 403 when they can see but not change it. */
  assertCanChange(principal: Principal, ownerId: string, what: string): void {
    this.assertCanRead(principal, ownerId, what);
    this.assertCanCreate(principal);
  }
}
