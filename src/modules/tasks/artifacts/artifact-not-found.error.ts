import { DomainError } from '../../../common/errors/domain-error';

/**
 * No readable file at that path inside the run's output. One error for missing files,
 * directories and paths that try to leave the output directory, so a caller learns
 * nothing about what lies outside it.
 */
export class ArtifactNotFoundError extends DomainError {
  readonly status = 404;
  readonly slug = 'artifact-not-found';

  constructor(relativePath: string) {
    super(`No artifact at ${JSON.stringify(relativePath.slice(0, 256))}.`);
  }
}
