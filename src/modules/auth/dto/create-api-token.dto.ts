import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Length,
} from 'class-validator';
import { IsTimestamp } from '../../../common/validation/timestamp';
import { Scope, SCOPE_NAMES } from '../scope';

export class CreateApiTokenDto {
  /** What the token is for, e.g. `ci-pipeline`. */
  @IsString()
  @Length(1, 100)
  name: string;

  /** RFC 3339 instant after which the token stops working; none: it lasts until revoked. */
  @IsOptional()
  @IsTimestamp()
  expiresAt?: Date;

  /** Limits the token to these scopes; omitted: it may do whatever its user may. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(SCOPE_NAMES.length)
  @IsIn(SCOPE_NAMES, { each: true })
  scopes?: Scope[];
}
