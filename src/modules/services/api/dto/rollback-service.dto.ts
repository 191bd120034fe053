import { ApiProperty } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';

export class RollbackServiceDto {
  /** An earlier revision; its spec becomes a new revision, rolled out like any change. */
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  @ApiProperty({ type: 'integer', minimum: 1 })
  revision: number;
}
