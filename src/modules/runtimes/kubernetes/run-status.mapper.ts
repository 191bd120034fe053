// Turns what the API server says about an attempt's Job and pods into a RunStatus,
// naming the reasons a user can act on (OOMKilled, a bad image, a deadline, an eviction).
import type { V1Job, V1JobCondition, V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { RunStatus } from '../batch-runtime.port';

export interface StatusMappingOptions {
  imagePullGraceSeconds: number;
  now: Date;
}

const IMAGE_PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff']);
const IMAGE_INVALID_REASONS = new Set(['InvalidImageName', 'ErrImageNeverPull']);

export function toRunStatus(
  job: V1Job | undefined,
  pods: V1Pod[],
  options: StatusMappingOptions,
): RunStatus {
  if (!job) return { state: 'lost', reason: 'the Job no longer exists' };
  const disrupted = pods.map(disruptionOf).find((reason) => reason !== undefined);
  if (disrupted) return { state: 'lost', reason: disrupted };
  if (hasCondition(job, 'Complete') || hasCondition(job, 'SuccessCriteriaMet')) {
    return { state: 'succeeded', exitCode: 0 };
  }
  const failed = conditionOf(job, 'Failed') ?? conditionOf(job, 'FailureTarget');
  if (failed) return failedStatus(failed, pods);
  return activeStatus(pods, options);
}

function failedStatus(condition: V1JobCondition, pods: V1Pod[]): RunStatus {
  if (condition.reason === 'DeadlineExceeded') {
    return { state: 'timed_out', reason: condition.message || 'the Job ran past its deadline' };
  }
  const terminated = pods.map(terminatedStateOf).find((state) => state !== undefined);
  if (terminated?.reason === 'OOMKilled') {
    return {
      state: 'failed',
      exitCode: terminated.exitCode,
      reason: 'OOMKilled: the container ran out of memory (raise the memory request)',
    };
  }
  if (terminated) {
    const why = terminated.reason && terminated.reason !== 'Error' ? ` (${terminated.reason})` : '';
    return {
      state: 'failed',
      exitCode: terminated.exitCode,
      reason: `exited with code ${terminated.exitCode}${why}`,
    };
  }
  return { state: 'failed', reason: condition.message || condition.reason || 'the Job failed' };
}

function activeStatus(pods: V1Pod[], options: StatusMappingOptions): RunStatus {
  const pod = newest(pods);
  if (!pod) return { state: 'pending', reason: 'waiting for the Job to create a pod' };
  const imageProblem = imagePullFailure(pod, options);
  if (imageProblem) return imageProblem;
  if (pod.status?.phase === 'Running' || pod.status?.phase === 'Succeeded') {
    return { state: 'running' };
  }
  if (pod.status?.phase === 'Failed') return { state: 'running' }; // the Job condition follows
  return { state: 'pending', reason: pendingReasonOf(pod) };
}

function imagePullFailure(pod: V1Pod, options: StatusMappingOptions): RunStatus | undefined {
  const container = pod.status?.containerStatuses?.find((status) => {
    const reason = status.state?.waiting?.reason ?? '';
    return IMAGE_PULL_REASONS.has(reason) || IMAGE_INVALID_REASONS.has(reason);
  });
  const waiting = container?.state?.waiting;
  if (!container || !waiting) return undefined;
  const since =
    timeOf(conditionOfPod(pod, 'PodScheduled')?.lastTransitionTime) ??
    timeOf(pod.metadata?.creationTimestamp) ??
    options.now;
  const waitedSeconds = (options.now.getTime() - since.getTime()) / 1000;
  const invalid = IMAGE_INVALID_REASONS.has(waiting.reason ?? '');
  if (!invalid && waitedSeconds < options.imagePullGraceSeconds) {
    return { state: 'pending', reason: `${waiting.reason}: ${waiting.message ?? container.image}` };
  }
  const detail = waiting.message ? `: ${waiting.message}` : '';
  return {
    state: 'failed',
    // Pulling the same image again will not help; the task needs a new image or secret.
    retryable: false,
    reason: `image "${container.image}" could not be pulled (${waiting.reason})${detail}`,
  };
}

function disruptionOf(pod: V1Pod): string | undefined {
  if (pod.status?.reason === 'Evicted') {
    return `the pod was evicted: ${pod.status.message ?? 'node pressure'}`;
  }
  const target = conditionOfPod(pod, 'DisruptionTarget');
  if (target?.status === 'True') {
    return `the pod was disrupted (${target.reason ?? 'preempted'}): ${target.message ?? ''}`.trim();
  }
  return undefined;
}

function terminatedStateOf(pod: V1Pod) {
  return pod.status?.containerStatuses?.map((status) => status.state?.terminated).find(Boolean);
}

function pendingReasonOf(pod: V1Pod): string {
  const waiting = pod.status?.containerStatuses?.map((s) => s.state?.waiting).find(Boolean);
  if (waiting?.reason)
    return waiting.message ? `${waiting.reason}: ${waiting.message}` : waiting.reason;
  const scheduled = conditionOfPod(pod, 'PodScheduled');
  if (scheduled?.status === 'False')
    return scheduled.message || scheduled.reason || 'unschedulable';
  return 'the pod is starting';
}

function newest(pods: V1Pod[]): V1Pod | undefined {
  return [...pods].sort(
    (a, b) =>
      (timeOf(b.metadata?.creationTimestamp)?.getTime() ?? 0) -
      (timeOf(a.metadata?.creationTimestamp)?.getTime() ?? 0),
  )[0];
}

function conditionOf(job: V1Job, type: string): V1JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type && c.status === 'True');
}

function hasCondition(job: V1Job, type: string): boolean {
  return conditionOf(job, type) !== undefined;
}

function conditionOfPod(pod: V1Pod, type: string): V1PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** Objects from the typed API carry Dates; objects from a watch carry RFC 3339 strings. */
function timeOf(value: Date | string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}
