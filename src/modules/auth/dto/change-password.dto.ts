import { IsString, Length } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../users/password-policy';

export class ChangePasswordDto {
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  currentPassword: string;

  /** At least auth.passwordMinLength characters, and not containing the username. */
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  newPassword: string;
}
