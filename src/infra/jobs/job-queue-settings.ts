// The job-queue knobs of the config, in the shape both drivers take, so tests can build a
// driver without loading the whole configuration.
import { JobsConfig } from '../../config/sections/jobs.config';

export interface JobRetention {
  /** Finished jobs older than this are dropped (and their ids may be added again). */
  maxAgeSeconds: number;
  /** Only the newest this many finished jobs are kept. */
  maxCount: number;
}

export interface JobQueueSettings {
  completed: JobRetention;
  failed: JobRetention;
  stalledIntervalMs: number;
  maxStalledCount: number;
}

export function jobQueueSettingsFrom(config: JobsConfig): JobQueueSettings {
  return {
    completed: { maxAgeSeconds: config.completedMaxAgeSeconds, maxCount: config.completedMaxCount },
    failed: { maxAgeSeconds: config.failedMaxAgeSeconds, maxCount: config.failedMaxCount },
    stalledIntervalMs: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
  };
}
