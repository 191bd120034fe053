// The roles a user can hold. A user with several acts with the strongest of them.
export enum Role {
  Admin = 'admin',
  Member = 'member',
  Viewer = 'viewer',
}

export const ROLES: readonly Role[] = [Role.Admin, Role.Member, Role.Viewer];

/** Strongest first: what a user with several roles is treated as. */
const STRENGTH: readonly Role[] = [Role.Admin, Role.Member, Role.Viewer];

export function strongestRole(roles: readonly Role[]): Role {
  return STRENGTH.find((role) => roles.includes(role)) ?? Role.Viewer;
}
