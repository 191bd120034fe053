import { TaskQueueConfig } from '../../../config/sections/tasks.config';
import type { BatchRuntime } from '../../runtimes';
import { RuntimeRegistry } from '../../runtimes';
import type { Principal } from '../../auth/principal';
import { Role } from '../../auth/role';
import { QueueAccessPolicy } from './queue-access.policy';
import type { TaskQueue } from '../queues/task-queue';

function policyWith(isolatesRuns: boolean): QueueAccessPolicy {
  const local = { name: 'local', isolatesRuns } as BatchRuntime;
  return new QueueAccessPolicy(new RuntimeRegistry(new Map([['local', local]])));
}

function queue(overrides: Partial<TaskQueue> = {}): TaskQueue {
  return Object.assign(new TaskQueueConfig(), {
    name: 'default',
    runtime: 'local',
    maxRunning: 1,
    maxGpus: 0,
    paused: false,
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

  it('admits a user the queue names by id whatever their role, and refuses others naming the queue', () => {
    const named = queue({ allowedUsers: ['u'] });
    expect(() => policyWith(true).assertCanSubmit(as(Role.Viewer), named)).not.toThrow();
    const other = { ...as(Role.Member), userId: 'someone-else' };
    expect(() => policyWith(true).assertCanSubmit(other, named)).toThrow(/Queue default/);
  });
});
