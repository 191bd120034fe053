// Submit a task, validated like the API (and the API's own field errors shown at the
// field); ?from=<id> fills the form from an existing task.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  App,
  Button,
  Checkbox,
  Col,
  Collapse,
  Form,
  Input,
  InputNumber,
  Row,
  Space,
  Typography,
} from 'antd';
import { KilnProblemError } from '@kiln/client';
import { useEffect, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import { useAuth } from '../auth/auth-context';
import { ForbiddenPage } from '../components/ErrorPages';
import { ProblemAlert } from '../components/ProblemAlert';
import { fetchTask, taskKeys } from '../tasks/task-queries';
import {
  fieldsOf,
  formFieldOf,
  parseExitCodes,
  parseHyperparameters,
  parsePairs,
  toSubmission,
  type SubmissionFields,
} from '../tasks/submission-form';

const parsedBy = (parse: (text: string) => unknown) => ({
  validator: async (_: unknown, value: string | undefined) => {
    parse(value ?? '');
  },
});

export default function SubmitTaskPage() {
  const { canAct } = useAuth();
  const [form] = Form.useForm<SubmissionFields>();
  const [params] = useSearchParams();
  const from = params.get('from');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const source = useQuery({
    queryKey: taskKeys.detail(from ?? ''),
    queryFn: () => fetchTask(from!),
    enabled: !!from,
  });

  useEffect(() => {
    if (source.data) form.setFieldsValue(fieldsOf(source.data));
  }, [source.data, form]);

  if (!canAct) return <ForbiddenPage />;

  const submit = async (fields: SubmissionFields) => {
    setBusy(true);
    setError(undefined);
    try {
      const task = await unwrap(kiln.api.POST('/api/v1/tasks', { body: toSubmission(fields) }));
      void queryClient.invalidateQueries({ queryKey: taskKeys.lists() });
      message.success(`Submitted ${task.name}`);
      void navigate(`/tasks/${task.id}`);
    } catch (failure) {
      setError(failure);
      if (failure instanceof KilnProblemError && failure.errors.length)
        form.setFields(
          failure.errors
            .filter((field) => field.field)
            .map((field) => ({
              name: formFieldOf(field.field) as never,
              errors: [field.message],
            })),
        );
    } finally {
      setBusy(false);
    }
  };

  const number = (name: string | string[], label: string, min: number, max: number, step = 1) => (
    <Form.Item
      name={name}
      label={label}
      rules={[{ type: 'number', min, max, message: `${label}: ${min} to ${max}` }]}
    >
      <InputNumber
        min={min}
        max={max}
        step={step}
        precision={step < 1 ? 3 : 0}
        style={{ width: '100%' }}
      />
    </Form.Item>
  );

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {from ? 'Submit a copy' : 'Submit a task'}
      </Typography.Title>
      <ProblemAlert error={source.error} title="The task to copy could not be loaded" />
      <Form
        form={form}
        layout="vertical"
        onFinish={(values) => void submit(values)}
        style={{ maxWidth: 900 }}
        scrollToFirstError
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item
              name="name"
              label="Name"
              rules={[
                { required: true, whitespace: true, message: 'Give the task a name' },
                { max: 200 },
              ]}
            >
              <Input />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            <Form.Item name="queue" label="Queue" rules={[{ max: 64 }]}>
              <Input placeholder="default" />
            </Form.Item>
          </Col>
          <Col xs={12} md={6}>
            {number('priority', 'Priority', -1000, 1000)}
          </Col>
        </Row>
        <Form.Item name="description" label="Description" rules={[{ max: 4000 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item
          name="commandText"
          label="Command"
          extra="One argument per line, e.g. python3 on the first line and the script's path on the second."
          rules={[{ required: true, whitespace: true, message: 'Give the command to run' }]}
        >
          <Input.TextArea rows={3} spellCheck={false} />
        </Form.Item>
        <Form.Item name="shell" valuePropName="checked">
          <Checkbox>Run the command through a shell</Checkbox>
        </Form.Item>
        <Form.Item
          name="hyperparametersText"
          label="Hyperparameters"
          extra="JSON or YAML; the run reads them from KILN_HPARAMS."
          rules={[parsedBy(parseHyperparameters)]}
        >
          <Input.TextArea
            rows={6}
            spellCheck={false}
            placeholder={'learning_rate: 0.5\nepochs: 30'}
          />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={8}>{number(['resources', 'cpu'], 'CPU cores', 0.001, 512, 0.5)}</Col>
          <Col xs={8}>{number(['resources', 'memoryMiB'], 'Memory (MiB)', 1, 4194304)}</Col>
          <Col xs={8}>{number(['resources', 'gpu'], 'GPUs', 0, 64)}</Col>
        </Row>
        <Collapse
          style={{ marginBottom: 24 }}
          items={[
            {
              key: 'more',
              label: 'Environment, labels, retries and more',
              forceRender: true,
              children: (
                <>
                  <Row gutter={16}>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name="envText"
                        label="Environment"
                        extra="KEY=value per line"
                        rules={[parsedBy((text) => parsePairs(text, 'environment'))]}
                      >
                        <Input.TextArea rows={3} spellCheck={false} />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name="labelsText"
                        label="Labels"
                        extra="key=value per line"
                        rules={[parsedBy((text) => parsePairs(text, 'label'))]}
                      >
                        <Input.TextArea rows={3} spellCheck={false} />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Row gutter={16}>
                    <Col xs={12} md={6}>
                      {number('maxRetries', 'Retries', 0, 20)}
                    </Col>
                    <Col xs={12} md={6}>
                      {number('retryBackoffSeconds', 'Retry backoff (s)', 0, 86400)}
                    </Col>
                    <Col xs={12} md={6}>
                      {number('timeoutSeconds', 'Timeout (s)', 1, 2592000)}
                    </Col>
                    <Col xs={12} md={6}>
                      <Form.Item
                        name="noRetryExitCodesText"
                        label="No retry on exit codes"
                        rules={[parsedBy(parseExitCodes)]}
                      >
                        <Input placeholder="2, 3" />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Row gutter={16}>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name="image"
                        label="Image (Kubernetes queues)"
                        rules={[
                          { pattern: /^[\w.\-/:@]{1,512}$/, message: 'Not an image reference' },
                        ]}
                      >
                        <Input />
                      </Form.Item>
                    </Col>
                    <Col xs={24} md={12}>
                      <Form.Item
                        name="workingDir"
                        label="Working directory"
                        extra="Relative to the run directory"
                        rules={[
                          {
                            pattern: /^(?!\/)(?!.*(^|\/)\.\.(\/|$)).{1,1024}$/,
                            message: 'A relative path without ..',
                          },
                        ]}
                      >
                        <Input />
                      </Form.Item>
                    </Col>
                  </Row>
                  <Form.Item
                    name="dependsOnText"
                    label="Depends on"
                    extra="Task ids, one per line; this task waits until they succeed"
                  >
                    <Input.TextArea rows={2} spellCheck={false} />
                  </Form.Item>
                </>
              ),
            },
          ]}
        />
        {error ? (
          <div style={{ marginBottom: 16 }}>
            <ProblemAlert error={error} title="The task was not submitted" />
          </div>
        ) : null}
        <Space>
          <Button type="primary" htmlType="submit" loading={busy}>
            Submit
          </Button>
          <Button onClick={() => void navigate(-1)}>Back</Button>
        </Space>
      </Form>
    </>
  );
}
