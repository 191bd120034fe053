import { IsString, Length } from 'class-validator';
import { PASSWORD_MAX_LENGTH } from '../../auth';

export class ResetPasswordDto {
  /** The user's new password; their sessions end. */
  @IsString()
  @Length(1, PASSWORD_MAX_LENGTH)
  password: string;
}
