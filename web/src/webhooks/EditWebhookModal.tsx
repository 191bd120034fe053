// Changes a webhook in place: where it posts, which events and statuses it hears, and
// whether it is on (turning it on again clears its failure count).
import { Form, Select, Switch } from 'antd';
import { kiln, unwrap } from '../api/kiln';
import type { Webhook } from '../api/types';
import { FormModal } from '../components/FormModal';
import { webhookKeys } from './webhook-keys';
import { WebhookFields } from './WebhookFields';

type EventType = NonNullable<Webhook['events']>[number];
const EVENT_TYPES: EventType[] = [
  'task.status',
  'schedule.fired',
  'schedule.failed',
  'service.status',
  'service.scaled',
];

interface WebhookEdit {
  url: string;
  events: EventType[];
  statuses: Webhook['statuses'];
  enabled: boolean;
}

export function EditWebhookModal({
  webhook,
  onClose,
}: {
  webhook: Webhook | undefined;
  onClose(): void;
}) {
  return (
    <FormModal<WebhookEdit, Webhook>
      title="Edit the webhook"
      open={!!webhook}
      onClose={onClose}
      okText="Save"
      submit={(values) =>
        unwrap(
          kiln.api.PATCH('/api/v1/webhooks/{id}', {
            params: { path: { id: webhook!.id } },
            body: {
              url: values.url,
              // none picked: every event, every status
              events: values.events.length ? values.events : null,
              statuses: values.statuses?.length ? values.statuses : null,
              enabled: values.enabled,
            },
          }),
        )
      }
      successMessage={() => 'Webhook saved'}
      invalidates={webhookKeys.all}
      failureTitle="The webhook was not saved"
      initialValues={{
        url: webhook?.url,
        events: webhook?.events ?? [],
        statuses: webhook?.statuses ?? [],
        enabled: webhook?.enabled,
      }}
    >
      <WebhookFields />
      <Form.Item name="events" label="Events">
        <Select
          mode="multiple"
          placeholder="every event"
          options={EVENT_TYPES.map((type) => ({ value: type, label: type }))}
        />
      </Form.Item>
      <Form.Item name="enabled" label="Active" valuePropName="checked">
        <Switch />
      </Form.Item>
    </FormModal>
  );
}
