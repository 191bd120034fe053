import { ApiProperty } from '@nestjs/swagger';
import { Role } from '../role';

export class UserResponse {
  /** @example 5b0e0a8e-3c1f-4f7e-9f1a-1f2d3c4b5a69 */
  @ApiProperty({ format: 'uuid' })
  id: string;
  username: string;
  email: string | null;
  displayName: string;
  roles: Role[];
  disabled: boolean;
  /** ISO-8601 UTC. */
  @ApiProperty({ format: 'date-time', nullable: true })
  lastLoginAt: string | null;
  @ApiProperty({ format: 'date-time' })
  createdAt: string;
  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}
