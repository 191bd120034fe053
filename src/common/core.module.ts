import { Global, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ProblemDetailsFilter } from './errors/problem-details.filter';
import { RequestValidationError } from './errors/request-validation.error';
import { LifecycleService } from './lifecycle/lifecycle.service';

/** Framework-wide behaviour: validation of every input, one error shape, lifecycle state. */
@Global()
@Module({
  providers: [
    LifecycleService,
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    {
      provide: APP_PIPE,
      useValue: new ValidationPipe({
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
        transform: true,
        validationError: { target: false, value: false },
        exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
      }),
    },
  ],
  exports: [LifecycleService],
})
export class CoreModule {}
