import { ApiProperty } from '@nestjs/swagger';
import { Scope } from '../scope';

export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' })
  id: string;
  name: string;
  /** The first characters of the secret, to tell tokens apart. */
  hint: string;
  /** null: the token may do whatever its user may. */
  scopes: Scope[] | null;
  @ApiProperty({ format: 'date-time', nullable: true })
  expiresAt: string | null;
  @ApiProperty({ format: 'date-time', nullable: true })
  lastUsedAt: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class ApiTokenListResponse {
  items: ApiTokenResponse[];
}
