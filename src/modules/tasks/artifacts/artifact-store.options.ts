export interface ArtifactStoreOptions {
  /** Entries a listing returns at most; past it the listing says it was truncated. */
  maxEntries: number;
}

export const ARTIFACT_STORE_OPTIONS = Symbol('ARTIFACT_STORE_OPTIONS');

export const DEFAULT_ARTIFACT_STORE_OPTIONS: ArtifactStoreOptions = { maxEntries: 10_000 };
