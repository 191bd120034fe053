// The global validation pipe: Nest's ValidationPipe with Kiln's options, preceded by a
// check every body, query and path parameter gets, whatever its DTO says: no text the
// database cannot store.
import { ArgumentMetadata, Injectable, ValidationPipe } from '@nestjs/common';
import { RequestValidationError } from '../errors/request-validation.error';
import { unstorableTextIn } from './storable-text';

const CHECKED = new Set<ArgumentMetadata['type']>(['body', 'query', 'param']);

@Injectable()
export class KilnValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => RequestValidationError.fromValidationErrors(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (CHECKED.has(metadata.type)) {
      const problems = unstorableTextIn(
        value,
        metadata.type === 'param' ? (metadata.data ?? '') : '',
      );
      if (problems.length > 0) throw new RequestValidationError(problems);
    }
    return super.transform(value, metadata);
  }
}
