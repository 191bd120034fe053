import { BadRequestException } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { FieldProblem } from './domain-error';

/** Thrown by the global ValidationPipe; carries one entry per field problem. */
export class RequestValidationError extends BadRequestException {
  constructor(readonly fieldProblems: FieldProblem[]) {
    super('The request has invalid fields; see errors[].');
  }

  static fromValidationErrors(errors: ValidationError[]): RequestValidationError {
    return new RequestValidationError(errors.flatMap((error) => flatten(error, '')));
  }
}

function flatten(error: ValidationError, prefix: string): FieldProblem[] {
  const field = prefix + error.property;
  const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => ({
    field,
    message:
      constraint === 'whitelistValidation'
        ? 'is not an accepted field'
        : stripProperty(message, error.property),
  }));
  const nested = (error.children ?? []).flatMap((child) => flatten(child, `${field}.`));
  return [...own, ...nested];
}

/** class-validator messages start with the property name; the field says it already. */
function stripProperty(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}
