// The `{name}` path parameter of a service operation: a DNS label, or 400 naming it.
import { applyDecorators, Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { InvalidInputError } from '../../../common/errors/domain-error';
import { SERVICE_NAME } from './dto/service-limits';

@Injectable()
export class ServiceNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value === 'string' && SERVICE_NAME.test(value)) return value;
    throw new InvalidInputError('The service name in the path is not valid.', [
      { field: 'name', message: 'must be a DNS label: a-z, 0-9 and -, at most 63' },
    ]);
  }
}

export const SERVICE_NAME_PARAM = applyDecorators(
  ApiParam({
    name: 'name',
    description: 'The service’s name (a DNS label)',
    schema: { type: 'string', pattern: SERVICE_NAME.source, maxLength: 63 },
  }),
);

/** Services of other users answer 404 too, so their names do not leak. */
export const SERVICE_NOT_FOUND = { 404: 'No such service, or not the caller’s' } as const;
