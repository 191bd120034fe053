// The auth module's public surface: other modules import only what is exported here.
// Users are managed through UserAccountsService, which hands out views, not entities.
export { ForbiddenError } from './auth.errors';
export { AuthModule } from './auth.module';
export { Auth } from './decorators/auth.decorator';
export { CurrentUser } from './decorators/current-user.decorator';
export { Origin } from './decorators/origin.decorator';
export { RequireScopes } from './decorators/require-scopes.decorator';
export { UserResponse } from './dto/user.response';
export { OwnershipPolicy } from './ownership.policy';
export type { Principal } from './principal';
export { Role, ROLES } from './role';
export { OpenStreams } from './streams/open-streams.service';
export { PASSWORD_MAX_LENGTH } from './users/password-policy';
export { UserAccountsService } from './users/user-accounts.service';
export type { UserPageQuery } from './users/users.repository';
export type { NewUser, UserChanges } from './users/users.service';
