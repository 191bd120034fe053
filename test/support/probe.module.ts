// Test-only routes that exercise the framework (validation, errors, logging) before
// any domain module exists to do so. Mounted through startTestApp({ imports }).
import { Body, Controller, Get, HttpCode, Logger, Module, Param, Post } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Min, ValidateNested } from 'class-validator';
import { Public } from '../../src/common/decorators/public.decorator';

class ProbeOwnerDto {
  @IsString()
  @Length(1, 20)
  name: string;
}

export class ProbeItemDto {
  @IsString()
  @Length(1, 20)
  name: string;

  @IsInt()
  @Min(0)
  count: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => ProbeOwnerDto)
  owner?: ProbeOwnerDto;
}

@Public()
@Controller('probe')
class ProbeController {
  private readonly logger = new Logger('Probe');

  @Post('items')
  @HttpCode(201)
  createProbeItem(@Body() item: ProbeItemDto): ProbeItemDto {
    return item;
  }

  @Get('items/:id')
  getProbeItem(@Param('id') id: string): { id: string } {
    return { id };
  }

  @Get('boom')
  explode(): never {
    throw new Error('relation "users" does not exist: SELECT password_hash FROM users');
  }

  @Post('log-secrets')
  @HttpCode(204)
  logSecrets(@Body() body: Record<string, unknown>): void {
    this.logger.log({ login: body }, 'probe received credentials');
  }
}

@Module({ controllers: [ProbeController] })
export class ProbeModule {}
