// A config value that must be a cron expression: checked at boot by croner, the parser
// that later runs it, so a bad expression stops boot naming its key.
import { Cron } from 'croner';
import { ValidateBy, ValidationOptions } from 'class-validator';

/** croner reads a sixth field as seconds only when told to. */
export function cronModeOf(expression: string): '5-part' | '6-part' {
  return expression.trim().split(/\s+/).length === 6 ? '6-part' : '5-part';
}

function isCronExpression(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const fields = value.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) return false;
  try {
    new Cron(value, { paused: true, mode: cronModeOf(value) }).stop();
    return true;
  } catch {
    return false;
  }
}

/** 5 fields, or 6 with seconds first. */
export function IsCronExpression(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCronExpression',
      validator: {
        validate: isCronExpression,
        defaultMessage: () => 'must be a cron expression of 5 fields, or 6 with seconds first',
      },
    },
    options,
  );
}
