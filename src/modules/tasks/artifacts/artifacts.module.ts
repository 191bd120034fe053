import { Module } from '@nestjs/common';
import { ARTIFACT_STORE_OPTIONS, DEFAULT_ARTIFACT_STORE_OPTIONS } from './artifact-store.options';
import { ArtifactStore } from './artifact-store';

/** Read access to runs' output directories. The tasks module imports it and uses ArtifactStore. */
@Module({
  providers: [
    ArtifactStore,
    { provide: ARTIFACT_STORE_OPTIONS, useValue: DEFAULT_ARTIFACT_STORE_OPTIONS },
  ],
  exports: [ArtifactStore],
})
export class ArtifactsModule {}
