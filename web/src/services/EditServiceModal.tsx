// A new revision of a service: what its replicas run (command or image), their
// environment and resources. Kiln rolls the replicas over to it; scaling is apart.
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

function revisionBody(values: RevisionForm) {
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
  };
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
            body: revisionBody(values),
          }),
        )
      }
      successMessage={(updated) => `Rolling ${updated.name} out as revision ${updated.revision}`}
      invalidates={serviceKeys.all}
      failureTitle="The new revision was not made"
      initialValues={{
        command: spec.command.join('\n'),
        image: spec.image ?? undefined,
        env: pairs(spec.env),
        cpu: spec.resources.cpu,
        memoryMiB: spec.resources.memoryMiB,
        gpu: spec.resources.gpu,
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
