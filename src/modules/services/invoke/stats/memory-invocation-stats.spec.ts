import { describeInvocationStatsContract } from '../../../../../test/contract/invocation-stats.contract';
import { MemoryInvocationStats } from './memory-invocation-stats';

// One embedded process is the whole deployment: every replica of it is the same store.
describeInvocationStatsContract('memory', () => {
  const stats = new MemoryInvocationStats();
  return { replica: () => stats, close: () => Promise.resolve() };
});
