import { IsString, Length } from 'class-validator';

export class RefreshTokenDto {
  /** The refresh token from the last login or refresh. Each one works once. */
  @IsString()
  @Length(1, 256)
  refreshToken: string;
}
