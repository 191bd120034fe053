// The auth module's retention rule: refresh tokens expired more than
// KILN_RETENTION_SESSION_DAYS ago, then the sessions that ended before then.
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { RetentionRegistry } from '../../../common/retention/retention-registry';
import type { RetentionStatements } from '../../../common/retention/retention-statements';
import { KilnConfig } from '../../../config/kiln.config';
import { SessionsRepository } from './sessions.repository';

const DAY_MS = 86_400_000;

@Injectable()
export class SessionRetention implements OnModuleInit {
  constructor(
    @Inject(KilnConfig) private readonly config: KilnConfig,
    private readonly registry: RetentionRegistry,
    private readonly sessions: SessionsRepository,
  ) {}

  onModuleInit(): void {
    if (this.config.retention.sessionDays === 0) return;
    this.registry.register({
      name: 'sessions',
      purgeBatch: (limit, statements) => this.purgeBatch(limit, statements),
    });
  }

  private async purgeBatch(limit: number, statements: RetentionStatements): Promise<number> {
    const cutoff = new Date(Date.now() - this.config.retention.sessionDays * DAY_MS);
    const tokens = await this.sessions.deleteExpiredRefreshTokens(cutoff, limit, statements);
    // sessions only once their tokens are gone, so a session never loses a live token
    if (tokens === limit) return tokens;
    return tokens + (await this.sessions.deleteEndedSessions(cutoff, limit - tokens, statements));
  }
}
