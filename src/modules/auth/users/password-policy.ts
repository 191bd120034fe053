// The rules a new password must meet. Length is what matters most (NIST SP 800-63B);
// a password built from the username is the first thing an attacker tries.
import { FieldProblem } from '../../../common/errors/domain-error';

/** Longer inputs are refused before hashing: argon2 cost grows with input length. */
export const PASSWORD_MAX_LENGTH = 256;

export function passwordProblems(
  password: string,
  username: string,
  minLength: number,
  field = 'password',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (password.length < minLength) {
    problems.push({ field, message: `must be at least ${minLength} characters long` });
  }
  if (password.length > PASSWORD_MAX_LENGTH) {
    problems.push({ field, message: `must be at most ${PASSWORD_MAX_LENGTH} characters long` });
  }
  if (username && password.toLowerCase().includes(username.toLowerCase())) {
    problems.push({ field, message: 'must not contain the username' });
  }
  return problems;
}
