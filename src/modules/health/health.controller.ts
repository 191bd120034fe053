import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiProblems } from '../../common/decorators/api-problems.decorator';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  HealthIndicatorService,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { Public } from '../../common/decorators/public.decorator';
import { LifecycleService } from '../../common/lifecycle/lifecycle.service';
import { KilnConfig } from '../../config/kiln.config';
import { HealthResponse } from './dto/health.response';
import { NotReadyError } from './not-ready.error';
import { RedisHealthIndicator } from './redis.health';

@Public()
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly redis: RedisHealthIndicator,
    private readonly lifecycle: LifecycleService,
    private readonly config: KilnConfig,
  ) {}

  /** Liveness: the process answers and its event loop turns. Never checks a dependency. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness probe', security: [] })
  async checkLiveness(): Promise<HealthResponse> {
    return this.run([]);
  }

  /** Readiness: the database and Redis (when configured) answer, and no shutdown has begun. */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness probe', security: [] })
  @ApiProblems({ 503: 'Not ready: a dependency is down, or shutdown has begun' })
  async checkReadiness(): Promise<HealthResponse> {
    const timeout = this.config.lifecycle.healthCheckTimeoutMs;
    return this.run([
      () => this.lifecycleCheck('lifecycle', !this.lifecycle.shuttingDown, 'shutting down'),
      () => this.database.pingCheck('database', { timeout }),
      ...(this.redis.configured ? [() => this.redis.check('redis')] : []),
    ]);
  }

  /** Startup: migrations have run and the server has finished booting. */
  @Get('startup')
  @ApiOperation({ summary: 'Startup probe', security: [] })
  @ApiProblems({ 503: 'Still starting' })
  async checkStartup(): Promise<HealthResponse> {
    return this.run([
      () => this.lifecycleCheck('startup', this.lifecycle.started, 'still starting'),
    ]);
  }

  private lifecycleCheck(key: string, ok: boolean, reason: string) {
    const indicator = this.indicators.check(key);
    return ok ? indicator.up() : indicator.down({ message: reason });
  }

  private async run(checks: HealthIndicatorFunction[]): Promise<HealthResponse> {
    try {
      return toResponse(await this.health.check(checks));
    } catch (error) {
      const result = (error as { getResponse?: () => unknown }).getResponse?.() as
        HealthCheckResult | undefined;
      if (result?.status === 'error') throw new NotReadyError(result);
      throw error;
    }
  }
}

function toResponse(result: HealthCheckResult): HealthResponse {
  return { status: result.status, details: result.details };
}
