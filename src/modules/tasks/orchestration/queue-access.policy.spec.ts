import { TaskQueueConfig } from '../../../config/sections/tasks.config';
import type { BatchRuntime } from '../../runtimes';
import { RuntimeRegistry } from '../../runtimes';
import type { Principal } from '../../auth/principal';
import { Role } from '../../auth/role';
import { QueueAccessPolicy } from './queue-access.policy';

function policyWith(isolatesRuns: boolean): QueueAccessPolicy {
  const local = { name: 'local', isolatesRuns } as BatchRuntime;
  return new QueueAccessPolicy(new RuntimeRegistry(new Map([['local', local]])));
}

function queue(overrides: Partial<TaskQueueConfig> = {}): TaskQueueConfig {
  return Object.assign(new TaskQueueConfig(), {
    name: 'default',
    runtime: 'local',
    maxRunning: 1,
    maxGpus: 0,
    ...overrides,
  });
}

const as = (...roles: Role[]): Principal => ({
  userId: 'u',
  username: 'u',
  roles,
  scopes: 'all',
});

describe('QueueAccessPolicy', () => {
  it('lets every role submit to a queue whose runs are isolated', () => {
    expect(() => policyWith(true).assertCanSubmit(as(Role.Member), queue())).not.toThrow();
  });

  it('takes admins only on a queue whose runs are not isolated, naming the queue', () => {
    const policy = policyWith(false);
    expect(() => policy.assertCanSubmit(as(Role.Admin), queue())).not.toThrow();
    expect(() => policy.assertCanSubmit(as(Role.Member), queue())).toThrow(
      'Queue default takes tasks from admin only.',
    );
  });

  it("follows a queue's allowedRoles over the executor's isolation, either way", () => {
    const members = queue({ allowedRoles: ['admin', 'member'] });
    expect(() => policyWith(false).assertCanSubmit(as(Role.Member), members)).not.toThrow();
    const admins = queue({ name: 'vip', allowedRoles: ['admin'] });
    expect(() => policyWith(true).assertCanSubmit(as(Role.Member), admins)).toThrow('Queue vip');
  });
});
