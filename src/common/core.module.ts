import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { LifecycleService } from './lifecycle/lifecycle.service';
import { KilnValidationPipe } from './validation/kiln-validation.pipe';

/** Framework-wide behaviour: validation of every input, one error shape, lifecycle state. */
@Global()
@Module({
  providers: [
    LifecycleService,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    { provide: APP_PIPE, useClass: KilnValidationPipe },
  ],
  exports: [LifecycleService],
})
export class CoreModule {}
