import { ApiProperty } from '@nestjs/swagger';
import { UserResponse } from './user.response';

export class SessionResponse {
  /** A JWT for `Authorization: Bearer`; valid for expiresIn seconds. */
  accessToken: string;
  /** Opaque; exchange it once at POST /auth/refresh for a new pair. */
  refreshToken: string;
  tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  @ApiProperty({ type: 'integer' })
  expiresIn: number;
  user: UserResponse;
}
