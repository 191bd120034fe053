import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth';
import { KilnProcessRow } from './kiln-process.entity';
import { ProcessHeartbeat } from './process-heartbeat';
import { ProcessRegistryRepository } from './process-registry.repository';
import { SystemController } from './system.controller';
import { SystemService } from './system.service';

/** The admin system view and the heartbeat every process writes for it. */
@Module({
  imports: [TypeOrmModule.forFeature([KilnProcessRow]), AuthModule],
  controllers: [SystemController],
  providers: [ProcessRegistryRepository, ProcessHeartbeat, SystemService],
})
export class SystemModule {}
