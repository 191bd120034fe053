import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'kiln:is-public';

/** Opens a route (or a whole controller) to callers without credentials. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
