// Deploys a new model service: what to run (a command, one argument per line, or an
// image), on which port it answers and how many replicas serve it.
import { Form, Input, InputNumber } from 'antd';
import { useNavigate } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import type { Service } from '../api/types';
import { FormModal } from '../components/FormModal';
import { argumentLines } from '../forms/argument-lines';
import { serviceKeys } from './service-queries';
import { ServiceFields, type ServiceFieldValues } from './ServiceFields';

interface DeployForm extends ServiceFieldValues {
  name: string;
  description?: string;
  port?: number;
  healthPath?: string;
  replicas?: number;
  queue?: string;
  modelTaskId?: string;
  modelPath?: string;
}

function deploymentBody({
  command,
  image,
  description,
  healthPath,
  queue,
  modelTaskId,
  modelPath,
  ...rest
}: DeployForm) {
  return {
    ...rest,
    command: argumentLines(command),
    image: image || undefined,
    description: description || undefined,
    healthPath: healthPath || undefined,
    queue: queue || undefined,
    model: modelTaskId ? { taskId: modelTaskId, path: modelPath || '.' } : undefined,
  };
}

export function DeployServiceModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const navigate = useNavigate();
  return (
    <FormModal<DeployForm, Service>
      title="Deploy a model service"
      open={open}
      onClose={onClose}
      okText="Deploy"
      submit={(values) =>
        unwrap(kiln.api.POST('/api/v1/services', { body: deploymentBody(values) }))
      }
      successMessage={(service) => `Deploying ${service.name}`}
      invalidates={serviceKeys.all}
      onSuccess={(service) => void navigate(`/services/${encodeURIComponent(service.name)}`)}
      failureTitle="The service was not deployed"
      initialValues={{ replicas: 1, modelPath: 'model.json', invokeRetry: true }}
    >
      <Form.Item
        name="name"
        label="Name"
        extra="Lowercase letters, digits and dashes; part of the service's endpoint."
        rules={[{ required: true, message: 'Name the service' }]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item name="description" label="Description">
        <Input />
      </Form.Item>
      <Form.Item
        name="modelTaskId"
        label="Model from task"
        extra="The id of a succeeded task whose output holds the model; replicas find it at KILN_MODEL_PATH."
      >
        <Input spellCheck={false} autoComplete="off" />
      </Form.Item>
      <Form.Item name="modelPath" label="Model path" extra="Inside that task's output directory.">
        <Input spellCheck={false} />
      </Form.Item>
      <ServiceFields />
      <Form.Item name="port" label="Port">
        <InputNumber min={1} max={65535} />
      </Form.Item>
      <Form.Item name="healthPath" label="Health path" extra="Polled until it answers 2xx.">
        <Input placeholder="/health" />
      </Form.Item>
      <Form.Item name="replicas" label="Replicas">
        <InputNumber min={0} max={100} />
      </Form.Item>
      <Form.Item name="queue" label="Queue">
        <Input placeholder="the default queue" />
      </Form.Item>
    </FormModal>
  );
}
