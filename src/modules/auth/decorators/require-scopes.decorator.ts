import { SetMetadata } from '@nestjs/common';
import { Scope } from '../scope';

export const SCOPES_KEY = 'kiln:scopes';

/**
 * The API-token scopes an operation needs. A token limited to scopes reaches only
 * operations that declare scopes it holds; sessions and unrestricted tokens reach all.
 */
export const RequireScopes = (...scopes: Scope[]): MethodDecorator & ClassDecorator =>
  SetMetadata(SCOPES_KEY, scopes);
