import { NotFoundError } from '../../common/errors/domain-error';
import { ForbiddenError } from './auth.errors';
import { OwnershipPolicy } from './ownership.policy';
import { Principal } from './principal';
import { Role } from './role';

const policy = new OwnershipPolicy();
const as = (userId: string, ...roles: Role[]): Principal => ({
  userId,
  username: userId,
  roles,
  scopes: 'all',
});

describe('OwnershipPolicy', () => {
  const member = as('m1', Role.Member);
  const viewer = as('v1', Role.Viewer);
  const admin = as('a1', Role.Admin);

  it('limits a member’s lists to their own resources and leaves others’ lists whole', () => {
    expect(policy.listableOwner(member)).toBe('m1');
    expect(policy.listableOwner(viewer)).toBeUndefined();
    expect(policy.listableOwner(admin)).toBeUndefined();
  });

  it('answers another member’s resource with not-found, never forbidden', () => {
    expect(() => policy.assertCanRead(member, 'm2', 'Task 7')).toThrow(NotFoundError);
    expect(() => policy.assertCanChange(member, 'm2', 'Task 7')).toThrow('Task 7 not found.');
    expect(() => policy.assertCanChange(member, 'm1', 'Task 7')).not.toThrow();
  });

  it('lets a viewer read anything and change nothing', () => {
    expect(() => policy.assertCanRead(viewer, 'm2', 'Task 7')).not.toThrow();
    expect(() => policy.assertCanCreate(viewer)).toThrow(ForbiddenError);
    expect(() => policy.assertCanChange(viewer, 'v1', 'Task 7')).toThrow(ForbiddenError);
  });

  it('lets an admin do everything', () => {
    expect(() => policy.assertCanChange(admin, 'm2', 'Task 7')).not.toThrow();
  });

  it('treats a user with several roles as their strongest one', () => {
    const both = as('x', Role.Viewer, Role.Member);
    expect(policy.listableOwner(both)).toBe('x');
    expect(() => policy.assertCanCreate(both)).not.toThrow();
  });

  it('shows secret-bearing values only to the owner and admins', () => {
    expect(policy.canSeeSecrets(member, 'm1')).toBe(true);
    expect(policy.canSeeSecrets(member, 'm2')).toBe(false);
    expect(policy.canSeeSecrets(viewer, 'm1')).toBe(false);
    expect(policy.canSeeSecrets(admin, 'm2')).toBe(true);
  });
});
