import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { DNS_LABEL } from '../../common/validation/dns-label';
import { Env } from '../env.decorator';

/** One entry of a pod's `tolerations`, as the Kubernetes API spells it. */
export class KubernetesToleration {
  @IsOptional()
  @IsString()
  key?: string;

  @IsOptional()
  @IsIn(['Exists', 'Equal'])
  operator?: 'Exists' | 'Equal';

  @IsOptional()
  @IsString()
  value?: string;

  @IsOptional()
  @IsIn(['NoSchedule', 'PreferNoSchedule', 'NoExecute'])
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

  @IsOptional()
  @IsInt()
  tolerationSeconds?: number;
}

/** Where one queue's Jobs go and which pod template fields they get. */
export class KubernetesQueueOverrides {
  /** Namespace of this queue's Jobs; the runtime's default namespace when absent. */
  @IsOptional()
  @Matches(DNS_LABEL, { message: 'must be a DNS label' })
  namespace?: string;

  /** `spec.nodeSelector` of the pod, label to value. */
  @IsOptional()
  @IsObject()
  nodeSelector?: Record<string, string>;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => KubernetesToleration)
  tolerations?: KubernetesToleration[];

  @IsOptional()
  @IsString()
  serviceAccountName?: string;

  /** Names of Secrets of type docker-registry in the Job's namespace. */
  @IsOptional()
  @IsString({ each: true })
  imagePullSecrets?: string[];

  @IsOptional()
  @IsString()
  priorityClassName?: string;
}

/** The Kubernetes runtime: one batch/v1 Job per attempt. */
export class KubernetesRuntimeConfig {
  /** Path of a kubeconfig file; empty: the in-cluster service account. */
  @Env('KILN_K8S_KUBECONFIG')
  @IsString()
  kubeconfigPath: string;

  /** Namespace of Jobs whose queue names none. */
  @Env('KILN_K8S_NAMESPACE')
  @Matches(DNS_LABEL, { message: 'must be a DNS label' })
  namespace: string;

  /** How long a finished Job (and its pod and logs) stays before Kubernetes deletes it. */
  @Env('KILN_K8S_TTL_SECONDS_AFTER_FINISHED')
  @IsInt()
  @Min(0)
  ttlSecondsAfterFinished: number;

  /** How long an image may fail to pull (ErrImagePull, ImagePullBackOff) before the run fails. */
  @Env('KILN_K8S_IMAGE_PULL_GRACE_SECONDS')
  @IsInt()
  @Min(0)
  imagePullGraceSeconds: number;

  /** KILN_OUTPUT_DIR inside the container. */
  @Env('KILN_K8S_OUTPUT_MOUNT_PATH')
  @Matches(/^\/.+/, { message: 'must be an absolute path' })
  outputMountPath: string;

  /** PersistentVolumeClaim for outputs (a subPath per Job); empty: an emptyDir per pod. */
  @Env('KILN_K8S_OUTPUT_CLAIM_NAME')
  @Matches(/^$|^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { message: 'must be empty or a PVC name' })
  outputClaimName: string;

  /**
   * Where Kiln's own pods mount the output claim (ReadWriteMany), so Kiln reads what a
   * run wrote: its artifacts, and the model a service deploys from it. Empty: runs'
   * outputs stay on the claim, unseen by the API.
   */
  @Env('KILN_K8S_OUTPUT_LOCAL_PATH')
  @Matches(/^$|^\/.+/, { message: 'must be empty or an absolute path' })
  outputLocalPath: string;

  /** Parallel API calls when many runs are inspected at once. */
  @Env('KILN_K8S_INSPECT_CONCURRENCY')
  @IsInt()
  @Min(1)
  @Max(64)
  inspectConcurrency: number;

  /**
   * Running Jobs whose log the leader follows at once to collect KILN_METRIC and
   * KILN_PROGRESS lines; a run past the cap is picked up when a follower frees up.
   */
  @Env('KILN_K8S_MAX_LOG_FOLLOWERS')
  @IsInt()
  @Min(1)
  @Max(10_000)
  maxLogFollowers: number;

  /**
   * The user and group run containers run as (`runAsNonRoot` is always set, so an image
   * whose user is root would otherwise not start); the output volume is made theirs.
   */
  @Env('KILN_K8S_RUN_AS_USER')
  @IsInt()
  @Min(1)
  runAsUser: number;

  @Env('KILN_K8S_RUN_AS_GROUP')
  @IsInt()
  @Min(1)
  runAsGroup: number;

  /** Per-queue namespace and pod template fields, keyed by queue name. */
  @ValidateNested()
  @Type(() => KubernetesQueueOverrides)
  queues: Map<string, KubernetesQueueOverrides>;
}
