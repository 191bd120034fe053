// Subscribes a URL to task status changes; the signing secret is shown once, after.
import { Alert, Form, Input, Modal, Select, Switch, Typography } from 'antd';
import { useState } from 'react';
import { kiln, unwrap } from '../api/kiln';
import { TASK_STATUSES, type CreatedWebhook, type TaskStatus } from '../api/types';
import { FormModal } from '../components/FormModal';
import { httpUrlRule } from '../forms/http-url-rule';
import { webhookKeys } from './webhook-keys';

interface WebhookForm {
  url: string;
  statuses?: TaskStatus[];
  allTasks?: boolean;
}

export function CreateWebhookModal({
  open,
  isAdmin,
  onClose,
}: {
  open: boolean;
  isAdmin: boolean;
  onClose(): void;
}) {
  const [created, setCreated] = useState<CreatedWebhook>();
  const close = () => {
    setCreated(undefined);
    onClose();
  };
  if (created)
    return (
      <Modal
        title="Your webhook's signing secret"
        open={open}
        onOk={close}
        onCancel={close}
        cancelButtonProps={{ style: { display: 'none' } }}
      >
        <Alert
          type="warning"
          showIcon
          title="Copy it now: Kiln shows it only once."
          description="Each delivery is signed with it; check the signature before trusting one."
          style={{ marginBottom: 12 }}
        />
        <Typography.Paragraph copyable code data-testid="webhook-secret">
          {created.secret}
        </Typography.Paragraph>
      </Modal>
    );
  return (
    <FormModal<WebhookForm, CreatedWebhook>
      title="Add a webhook"
      open={open}
      onClose={close}
      okText="Add"
      submit={(values) =>
        unwrap(
          kiln.api.POST('/api/v1/webhooks', {
            body: {
              url: values.url,
              statuses: values.statuses?.length ? values.statuses : undefined,
              allTasks: values.allTasks || undefined,
            },
          }),
        )
      }
      invalidates={webhookKeys.all}
      // the secret is shown once, in this dialog's place
      onSuccess={setCreated}
      closeOnSuccess={false}
      failureTitle="The webhook was not added"
    >
      <Form.Item
        name="url"
        label="URL"
        extra="Kiln POSTs a signed JSON body here when a task changes status."
        rules={[httpUrlRule]}
      >
        <Input spellCheck={false} placeholder="https://hooks.example.com/kiln" />
      </Form.Item>
      <Form.Item name="statuses" label="Statuses">
        <Select
          mode="multiple"
          placeholder="every status"
          options={TASK_STATUSES.map((status) => ({ value: status, label: status }))}
        />
      </Form.Item>
      {isAdmin ? (
        <Form.Item name="allTasks" label="Every user's tasks" valuePropName="checked">
          <Switch />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
