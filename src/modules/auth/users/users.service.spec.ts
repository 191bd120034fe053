import { KilnConfig } from '../../../config/kiln.config';
import { Role } from '../role';
import { PasswordHasher } from './password-hasher.service';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

const config = {
  auth: { argon2MemoryKib: 1024, argon2TimeCost: 1, argon2Parallelism: 1, passwordMinLength: 12 },
} as KilnConfig;

function makeUser(overrides: Partial<User> = {}): User {
  return Object.assign(new User(), {
    id: 'u1',
    username: 'alice',
    usernameNormalized: 'alice',
    roles: [Role.Member],
    disabled: false,
    ...overrides,
  });
}

describe('UsersService.authenticate', () => {
  let hasher: PasswordHasher;
  let stored: User | null;
  let service: UsersService;

  beforeAll(async () => {
    hasher = new PasswordHasher(config);
    await hasher.onModuleInit();
  });

  beforeEach(async () => {
    stored = makeUser({ passwordHash: await hasher.hash('the right password') });
    const repository = {
      findByUsername: async () => stored,
      update: async () => undefined,
    } as unknown as UsersRepository;
    service = new UsersService(repository, hasher, config);
  });

  it('returns the user for the right password', async () => {
    await expect(service.authenticate('ALICE', 'the right password')).resolves.toBe(stored);
  });

  it('spends one argon2 verification on an unknown user, as on a wrong password', async () => {
    const verify = jest.spyOn(hasher, 'verify');
    await expect(service.authenticate('alice', 'a wrong password')).resolves.toBeNull();
    stored = null;
    await expect(service.authenticate('nobody', 'a wrong password')).resolves.toBeNull();
    expect(verify).toHaveBeenCalledTimes(2);
  });

  it('refuses a disabled user even with the right password', async () => {
    stored = makeUser({ disabled: true, passwordHash: stored!.passwordHash });
    await expect(service.authenticate('alice', 'the right password')).resolves.toBeNull();
  });

  it('stores hashes as argon2id', async () => {
    expect(await hasher.hash('some password')).toMatch(/^\$argon2id\$/);
  });
});
