// The fields a webhook is added and edited with alike: where Kiln posts, and which task
// statuses it posts about.
import { Form, Input, Select } from 'antd';
import { TASK_STATUSES } from '../api/types';
import { httpUrlRule } from '../forms/http-url-rule';

const STATUS_OPTIONS = TASK_STATUSES.map((status) => ({ value: status, label: status }));

export function WebhookFields() {
  return (
    <>
      <Form.Item
        name="url"
        label="URL"
        extra="Kiln POSTs a signed JSON body here for each event the webhook hears."
        rules={[httpUrlRule]}
      >
        <Input spellCheck={false} placeholder="https://hooks.example.com/kiln" />
      </Form.Item>
      <Form.Item name="statuses" label="Task statuses">
        <Select mode="multiple" placeholder="every status" options={STATUS_OPTIONS} />
      </Form.Item>
    </>
  );
}
