import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '../../../common/errors/domain-error';
import { AuditAction, AuditLogService, RequestOrigin } from '../../audit';
import { Principal } from '../principal';
import { Scope } from '../scope';
import { randomSecret, sha256Hex } from '../secret-token';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { ApiToken } from './api-token.entity';
import { ApiTokensRepository } from './api-tokens.repository';

/** Recognisable by secret scanners (GitHub, gitleaks): `kiln_` and 43 base64url characters. */
export const API_TOKEN_PREFIX = 'kiln_';
const HINT_LENGTH = API_TOKEN_PREFIX.length + 4;
/** lastUsedAt is precise to a minute: one write per token per minute at most. */
const LAST_USED_PRECISION_MS = 60_000;

export interface NewApiToken {
  name: string;
  expiresAt?: Date;
  scopes?: Scope[];
}

export interface CreatedApiToken {
  token: ApiToken;
  /** The secret, returned this once and never again. */
  secret: string;
}

@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly users: UsersService,
    private readonly audit: AuditLogService,
  ) {}

  async create(
    principal: Principal,
    input: NewApiToken,
    origin: RequestOrigin,
  ): Promise<CreatedApiToken> {
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
      throw new InvalidInputError('The expiry must lie in the future.', [
        { field: 'expiresAt', message: 'must lie in the future' },
      ]);
    }
    const secret = API_TOKEN_PREFIX + randomSecret();
    const token = Object.assign(new ApiToken(), {
      id: randomUUID(),
      userId: principal.userId,
      name: input.name,
      tokenHash: sha256Hex(secret),
      hint: secret.slice(0, HINT_LENGTH),
      scopes: input.scopes ? [...new Set(input.scopes)] : null,
      expiresAt: input.expiresAt ?? null,
      lastUsedAt: null,
      revokedAt: null,
      createdAt: new Date(),
    });
    await this.tokens.insert(token);
    await this.recordAudit(AuditAction.ApiTokenCreated, principal, token, origin);
    return { token, secret };
  }

  async listOwn(principal: Principal): Promise<ApiToken[]> {
    return this.tokens.listUnrevokedOfUser(principal.userId);
  }

  /** Another user's token answers 404, exactly as a missing one does. */
  async revokeOwn(principal: Principal, id: string, origin: RequestOrigin): Promise<void> {
    const token = await this.tokens.findUnrevokedOfUser(id, principal.userId);
    if (!token) throw new NotFoundError(`API token ${id} not found.`);
    await this.tokens.revoke(token.id, new Date());
    await this.recordAudit(AuditAction.ApiTokenRevoked, principal, token, origin);
  }

  /** The token and its user when the secret is valid, unrevoked, unexpired and the user active. */
  async authenticate(secret: string): Promise<{ token: ApiToken; user: User } | null> {
    const token = await this.tokens.findByHash(sha256Hex(secret));
    const now = new Date();
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) return null;
    const user = await this.users.findActive(token.userId);
    if (!user) return null;
    await this.tokens.touch(token.id, now, new Date(now.getTime() - LAST_USED_PRECISION_MS));
    return { token, user };
  }

  private async recordAudit(
    action: AuditAction,
    principal: Principal,
    token: ApiToken,
    origin: RequestOrigin,
  ): Promise<void> {
    await this.audit.record({
      action,
      actor: { id: principal.userId, username: principal.username },
      target: { type: 'api-token', id: token.id },
      origin,
      details: { name: token.name, scopes: token.scopes },
    });
  }
}
