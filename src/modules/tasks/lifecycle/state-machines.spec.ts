// Both state machines, pair by pair: every move the tables allow and every one they
// refuse, written out here independently of the tables themselves.
import { ATTEMPT_STATUSES, AttemptStatus, attemptSourcesOf } from './attempt-status';
import { TASK_STATUSES, TaskStatus, assertTransition, sourcesOf } from './task-status';

const T = TaskStatus;
const A = AttemptStatus;

const TASK_MOVES: Record<TaskStatus, TaskStatus[]> = {
  [T.Pending]: [T.Queued, T.Cancelled, T.Failed],
  [T.Queued]: [T.Running, T.Pending, T.Cancelled],
  [T.Running]: [T.Succeeded, T.Failed, T.TimedOut, T.Lost, T.Cancelling, T.Pending],
  [T.Cancelling]: [T.Cancelled],
  [T.Lost]: [T.Pending, T.Failed, T.Cancelled],
  [T.Succeeded]: [],
  [T.Failed]: [T.Pending],
  [T.TimedOut]: [T.Pending],
  [T.Cancelled]: [T.Pending],
};

const ATTEMPT_ENDINGS = [A.Succeeded, A.Failed, A.TimedOut, A.Cancelled, A.Lost];
const ATTEMPT_MOVES: Record<AttemptStatus, AttemptStatus[]> = {
  [A.Queued]: [A.Running, ...ATTEMPT_ENDINGS],
  [A.Running]: ATTEMPT_ENDINGS,
  [A.Succeeded]: [],
  [A.Failed]: [],
  [A.TimedOut]: [],
  [A.Cancelled]: [],
  [A.Lost]: [],
};

function pairs<S extends string>(statuses: S[], allowed: Record<S, S[]>) {
  return statuses.flatMap((from) =>
    statuses.map((to) => ({ from, to, allowed: allowed[from].includes(to) })),
  );
}

describe('the task state machine', () => {
  it.each(pairs(TASK_STATUSES, TASK_MOVES).filter((pair) => pair.allowed))(
    'lets a $from task become $to',
    ({ from, to }) => {
      expect(() => assertTransition(from, to)).not.toThrow();
      expect(sourcesOf(to)).toContain(from);
    },
  );

  it.each(pairs(TASK_STATUSES, TASK_MOVES).filter((pair) => !pair.allowed))(
    'refuses to make a $from task $to',
    ({ from, to }) => {
      expect(() => assertTransition(from, to)).toThrow(
        `The task is ${from}; it cannot become ${to}.`,
      );
      expect(sourcesOf(to)).not.toContain(from);
    },
  );
});

describe('the attempt state machine', () => {
  it.each(pairs(ATTEMPT_STATUSES, ATTEMPT_MOVES).filter((pair) => pair.allowed))(
    'lets a $from attempt become $to',
    ({ from, to }) => {
      expect(attemptSourcesOf(to)).toContain(from);
    },
  );

  it.each(pairs(ATTEMPT_STATUSES, ATTEMPT_MOVES).filter((pair) => !pair.allowed))(
    'refuses to make a $from attempt $to',
    ({ from, to }) => {
      expect(attemptSourcesOf(to)).not.toContain(from);
    },
  );
});
