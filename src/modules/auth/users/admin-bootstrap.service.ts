import { randomBytes } from 'node:crypto';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { ConflictError, InvalidInputError } from '../../../common/errors/domain-error';
import { KilnConfig } from '../../../config/kiln.config';
import { AuditAction, AuditLogService, SYSTEM_ORIGIN } from '../../audit';
import { Role } from '../role';
import { UsersService } from './users.service';

/**
 * First start: when no active admin exists, creates one from KILN_ADMIN_USERNAME /
 * KILN_ADMIN_PASSWORD, or with a random password printed once for the operator.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly users: UsersService,
    private readonly audit: AuditLogService,
    private readonly config: KilnConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.countActiveAdmins()) > 0) return;
    const { adminUsername: username, adminPassword } = this.config.auth;
    const password = adminPassword || randomBytes(18).toString('base64url');
    try {
      const admin = await this.users.create({ username, password, roles: [Role.Admin] });
      await this.audit.record({
        action: AuditAction.UserCreated,
        target: { type: 'user', id: admin.id },
        origin: SYSTEM_ORIGIN,
        details: { reason: 'first start' },
      });
    } catch (error) {
      this.explain(error);
      return;
    }
    if (adminPassword) {
      this.logger.log(
        `Created the first admin "${username}" with the password from KILN_ADMIN_PASSWORD.`,
      );
    } else {
      // Printed once, to the operator who started Kiln; it is stored only as an argon2id hash.
      const docs = this.config.http.docsEnabled ? ', or from the API docs at /docs' : '';
      this.logger.warn(
        `FIRST START: created the admin user "${username}" with the one-time password ${password} ` +
          `— sign in (POST /api/v1/auth/login${docs}) and change it now ` +
          `(POST /api/v1/auth/me/password). It is not shown again.`,
      );
    }
  }

  private explain(error: unknown): void {
    if (error instanceof ConflictError) {
      // Another replica won the race, or a disabled user holds the name: not fatal.
      this.logger.warn(
        `No active admin exists and the user "${this.config.auth.adminUsername}" already does; enable or promote one.`,
      );
      return;
    }
    if (error instanceof InvalidInputError) {
      const reasons = error.fieldProblems.map((problem) => problem.message).join('; ');
      throw new Error(`KILN_ADMIN_PASSWORD (auth.adminPassword): ${reasons}`);
    }
    throw error;
  }
}
