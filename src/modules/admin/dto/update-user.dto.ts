import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsEmail,
  IsEnum,
  IsString,
  Length,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { Omittable } from '../../../common/validation/omittable';
import { Role } from '../../auth';

/** Fields left out stay as they are. */
export class UpdateUserDto {
  /** null removes the address. */
  @ValidateIf((_object, value) => value !== undefined && value !== null)
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @Omittable()
  @IsString()
  @Length(1, 128)
  displayName?: string;

  @Omittable()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsEnum(Role, { each: true })
  roles?: Role[];

  /** A disabled user's sessions end and their API tokens stop working at once. */
  @Omittable()
  @IsBoolean()
  disabled?: boolean;
}
