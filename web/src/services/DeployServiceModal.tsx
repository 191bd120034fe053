// Deploys a new model service: what to run (a command, one argument per line, or an
// image), on which port it answers and how many replicas serve it.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Form, Input, InputNumber, Modal } from 'antd';
import { useNavigate } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import { ProblemAlert } from '../components/ProblemAlert';
import { argumentLines } from '../forms/argument-lines';
import { serviceKeys } from './service-queries';

interface DeployForm {
  name: string;
  description?: string;
  command?: string;
  image?: string;
  port?: number;
  healthPath?: string;
  replicas?: number;
  queue?: string;
  modelTaskId?: string;
  modelPath?: string;
}

export function DeployServiceModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const [form] = Form.useForm<DeployForm>();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const deploy = useMutation({
    mutationFn: ({
      command,
      image,
      description,
      healthPath,
      queue,
      modelTaskId,
      modelPath,
      ...rest
    }: DeployForm) =>
      unwrap(
        kiln.api.POST('/api/v1/services', {
          body: {
            ...rest,
            command: argumentLines(command),
            image: image || undefined,
            description: description || undefined,
            healthPath: healthPath || undefined,
            queue: queue || undefined,
            model: modelTaskId ? { taskId: modelTaskId, path: modelPath || '.' } : undefined,
          },
        }),
      ),
    onSuccess: (service) => {
      message.success(`Deploying ${service.name}`);
      void queryClient.invalidateQueries({ queryKey: serviceKeys.all });
      onClose();
      void navigate(`/services/${encodeURIComponent(service.name)}`);
    },
  });
  return (
    <Modal
      title="Deploy a model service"
      open={open}
      onCancel={onClose}
      okText="Deploy"
      confirmLoading={deploy.isPending}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ replicas: 1, modelPath: 'model.json' }}
        onFinish={(values) => deploy.mutate(values)}
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
        <Form.Item
          name="command"
          label="Command"
          extra="One argument per line. The server listens on KILN_SERVICE_PORT."
        >
          <Input.TextArea rows={3} spellCheck={false} />
        </Form.Item>
        <Form.Item name="image" label="Image" extra="For a runtime that runs containers.">
          <Input spellCheck={false} />
        </Form.Item>
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
        <ProblemAlert error={deploy.error} title="The service was not deployed" />
      </Form>
    </Modal>
  );
}
