import { IsString, Length } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../users/password-policy';

export class LoginDto {
  /** Case-insensitive. */
  @IsString()
  @Length(1, 64)
  username: string;

  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password: string;
}
