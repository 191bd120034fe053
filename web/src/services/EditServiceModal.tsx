// A new revision of a service: what its replicas run (command or image), their
// environment and resources. Kiln rolls the replicas over to it; scaling is apart. Whether
// an invocation is retried is set here too, though it makes no revision.
import { Form, Input, InputNumber } from 'antd';
import { kiln, unwrap } from '../api/kiln';
import type { Service, ServiceDetail } from '../api/types';
import { FormModal } from '../components/FormModal';
import { argumentLines } from '../forms/argument-lines';
import { pairs, parsePairs } from '../tasks/submission-form';
import { serviceKeys } from './service-queries';
import { ServiceFields, type ServiceFieldValues } from './ServiceFields';

interface RevisionForm extends ServiceFieldValues {
  env?: string;
  cpu?: number | null;
  memoryMiB?: number | null;
  gpu?: number | null;
}

function updateBody(values: RevisionForm) {
  return {
    command: argumentLines(values.command),
    image: values.image || undefined,
    // every line removed: no variable is set any more
    env: parsePairs(values.env, 'environment') ?? {},
    resources: {
      cpu: values.cpu ?? undefined,
      memoryMiB: values.memoryMiB ?? undefined,
      gpu: values.gpu ?? undefined,
    },
    invokeRetry: values.invokeRetry,
  };
}

/** What changed: a new revision rolls out; a setting alone (the retry) rolls out nothing. */
function savedText(before: ServiceDetail, after: Service): string {
  if (after.revision === before.revision) return `Saved ${after.name}`;
  return `Rolling ${after.name} out as revision ${after.revision}`;
}

export function EditServiceModal({
  service,
  open,
  onClose,
}: {
  service: ServiceDetail;
  open: boolean;
  onClose(): void;
}) {
  const spec = service.spec;
  return (
    <FormModal<RevisionForm, Service>
      title={`New revision of ${service.name}`}
      open={open}
      onClose={onClose}
      okText="Roll out"
      submit={(values) =>
        unwrap(
          kiln.api.PATCH('/api/v1/services/{name}', {
            params: { path: { name: service.name } },
            body: updateBody(values),
          }),
        )
      }
      successMessage={(updated) => savedText(service, updated)}
      invalidates={serviceKeys.all}
      failureTitle="The service was not changed"
      initialValues={{
        command: spec.command.join('\n'),
        image: spec.image ?? undefined,
        env: pairs(spec.env),
        cpu: spec.resources.cpu,
        memoryMiB: spec.resources.memoryMiB,
        gpu: spec.resources.gpu,
        invokeRetry: service.invokeRetry,
      }}
    >
      <ServiceFields />
      <Form.Item
        name="env"
        label="Environment"
        extra="One KEY=value per line."
        rules={[
          {
            validator: async (_, text?: string) => {
              parsePairs(text, 'environment');
            },
          },
        ]}
      >
        <Input.TextArea rows={3} spellCheck={false} />
      </Form.Item>
      <Form.Item name="cpu" label="CPUs">
        <InputNumber min={0} step={0.5} />
      </Form.Item>
      <Form.Item name="memoryMiB" label="Memory (MiB)">
        <InputNumber min={0} />
      </Form.Item>
      <Form.Item name="gpu" label="GPUs">
        <InputNumber min={0} />
      </Form.Item>
    </FormModal>
  );
}
