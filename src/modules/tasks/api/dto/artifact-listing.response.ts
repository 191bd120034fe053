import { ApiProperty } from '@nestjs/swagger';
export class ArtifactResponse {
  /** Relative to KILN_OUTPUT_DIR, `/`-separated; download at /tasks/:id/artifacts/<path>. */
  path: string;
  @ApiProperty({ type: 'integer' })
  sizeBytes: number;
  modifiedAt: Date;
}

export class ArtifactListingResponse {
  /** The attempt listed; null before the first launch. */
  @ApiProperty({ type: 'integer', nullable: true })
  attempt: number | null;
  entries: ArtifactResponse[];
  /** True when the run wrote more files than one listing returns. */
  truncated: boolean;
}
