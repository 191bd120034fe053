import { Global, Module } from '@nestjs/common';
import { ProcessRole } from './process-role';

/** Provides ProcessRole to every module. */
@Global()
@Module({ providers: [ProcessRole], exports: [ProcessRole] })
export class ProcessModule {}
