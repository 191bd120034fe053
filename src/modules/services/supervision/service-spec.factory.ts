// What the runtime is told to run for a revision: its spec plus the variables only Kiln
// knows (KILN_MODEL_DIR, the service's name and revision).
import type { ServiceSpec } from '../../runtimes';
import type { ServiceRevision } from '../persistence/service-revision.entity';
import type { Service } from '../persistence/service.entity';

export function serviceSpecOf(service: Service, revision: ServiceRevision): ServiceSpec {
  const env: Record<string, string> = {
    ...revision.env,
    KILN_SERVICE_ID: service.id,
    KILN_SERVICE_NAME: service.name,
    KILN_SERVICE_REVISION: String(revision.number),
  };
  if (revision.model) {
    const { hostPath, isDirectory } = revision.model;
    env.KILN_MODEL_DIR = isDirectory ? hostPath : parentOf(hostPath);
    env.KILN_MODEL_PATH = hostPath;
  }
  return {
    serviceId: service.id,
    revision: revision.number,
    queue: service.queue,
    command: revision.command,
    image: revision.image ?? undefined,
    env,
    resources: {
      cpu: revision.cpuMillis / 1000,
      memoryMiB: revision.memoryMiB,
      gpu: revision.gpu,
    },
    replicas: service.desiredReplicas,
    port: revision.port,
    readinessPath: revision.healthPath,
    ...(revision.model
      ? {
          model: {
            taskId: revision.model.taskId,
            attempt: revision.model.attempt,
            path: revision.model.path,
            isDirectory: revision.model.isDirectory,
          },
        }
      : {}),
  };
}

function parentOf(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut > 0 ? path.slice(0, cut) : '/';
}
