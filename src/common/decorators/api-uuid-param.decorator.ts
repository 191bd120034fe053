import { ApiParam } from '@nestjs/swagger';

/** Documents a path parameter that must be a UUID (ParseUUIDPipe answers 400 otherwise). */
export const ApiUuidParam = (description: string, name = 'id'): MethodDecorator =>
  ApiParam({ name, description, schema: { type: 'string', format: 'uuid' } });
