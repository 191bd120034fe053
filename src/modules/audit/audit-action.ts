// Every action the audit log records, named `<area>.<object>.<verb>`.
export enum AuditAction {
  LoginSucceeded = 'auth.login.succeeded',
  LoginFailed = 'auth.login.failed',
  Logout = 'auth.session.logged-out',
  RefreshReuseDetected = 'auth.session.reuse-detected',
  PasswordChanged = 'auth.password.changed',
  ApiTokenCreated = 'auth.api-token.created',
  ApiTokenRevoked = 'auth.api-token.revoked',
  UserCreated = 'admin.user.created',
  UserUpdated = 'admin.user.updated',
  UserPasswordReset = 'admin.user.password-reset',
}
