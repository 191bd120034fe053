// Subscribes a URL to task status changes; the signing secret is shown once, after.
import { Alert, Form, Modal, Switch, Typography } from 'antd';
import { useState } from 'react';
import { kiln, unwrap } from '../api/kiln';
import type { CreatedWebhook, TaskStatus } from '../api/types';
import { FormModal } from '../components/FormModal';
import { webhookKeys } from './webhook-keys';
import { WebhookFields } from './WebhookFields';

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
      <WebhookFields />
      {isAdmin ? (
        <Form.Item name="allTasks" label="Every user's tasks" valuePropName="checked">
          <Switch />
        </Form.Item>
      ) : null}
    </FormModal>
  );
}
