import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Registry } from 'prom-client';
import { Public } from '../../common/decorators/public.decorator';

@Public()
@ApiExcludeController()
@Controller('metrics')
export class PrometheusController {
  constructor(private readonly registry: Registry) {}

  /** Prometheus scrape endpoint (text exposition format). */
  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.registry.metrics();
    await reply.type(this.registry.contentType).send(body);
  }
}
