import { passwordProblems, PASSWORD_MAX_LENGTH } from './password-policy';

describe('passwordProblems', () => {
  it('accepts a long password unrelated to the username', () => {
    expect(passwordProblems('correct horse battery staple', 'alice', 12)).toEqual([]);
  });

  it('refuses a password shorter than the minimum length', () => {
    expect(passwordProblems('short', 'alice', 12)).toEqual([
      { field: 'password', message: 'must be at least 12 characters long' },
    ]);
  });

  it('refuses a password that contains the username in any letter case', () => {
    expect(passwordProblems('my name is ALICE, ok?', 'alice', 12, 'newPassword')).toEqual([
      { field: 'newPassword', message: 'must not contain the username' },
    ]);
  });

  it('refuses a password longer than the hashing bound', () => {
    expect(passwordProblems('x'.repeat(PASSWORD_MAX_LENGTH + 1), 'alice', 12)).toEqual([
      { field: 'password', message: `must be at most ${PASSWORD_MAX_LENGTH} characters long` },
    ]);
  });
});
