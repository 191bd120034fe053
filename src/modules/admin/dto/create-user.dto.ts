import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsEmail,
  IsEnum,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
} from 'class-validator';
import { PASSWORD_MAX_LENGTH, Role } from '../../auth';

export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

export class CreateUserDto {
  /** 3 to 64 letters, digits, `.`, `_` or `-`; unique regardless of case. */
  @Matches(USERNAME_PATTERN, {
    message: 'must be 3 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  })
  username: string;

  /** At least auth.passwordMinLength characters, and not containing the username. */
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password: string;

  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string;

  /** Defaults to the username. */
  @IsOptional()
  @IsString()
  @Length(1, 128)
  displayName?: string;

  /** Defaults to `["member"]`. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(3)
  @IsEnum(Role, { each: true })
  roles?: Role[];
}
