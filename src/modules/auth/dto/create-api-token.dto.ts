import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';
import { Scope, SCOPE_NAMES } from '../scope';

export class CreateApiTokenDto {
  /** What the token is for, e.g. `ci-pipeline`. */
  @IsString()
  @Length(1, 100)
  name: string;

  /** ISO-8601 instant after which the token stops working; none: it lasts until revoked. */
  @IsOptional()
  @IsISO8601({ strict: true })
  expiresAt?: string;

  /** Limits the token to these scopes; omitted: it may do whatever its user may. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPE_NAMES.length)
  @IsIn(SCOPE_NAMES, { each: true })
  scopes?: Scope[];
}
