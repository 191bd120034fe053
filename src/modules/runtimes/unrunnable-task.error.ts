import { FieldProblem, InvalidInputError } from '../../common/errors/domain-error';

/** A task its queue's runtime could never run, refused at submit (400, invalid-input). */
export class UnrunnableTaskError extends InvalidInputError {
  constructor(runtime: string, queue: string, problems: FieldProblem[]) {
    const reasons = problems.map(({ field, message }) => `${field} ${message}`).join('; ');
    super(
      `Queue "${queue}" runs tasks on the ${runtime} runtime, which cannot run this one: ${reasons}.`,
      problems,
    );
  }
}
