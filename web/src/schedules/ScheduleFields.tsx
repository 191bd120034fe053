// The fields a schedule is created and edited with alike: when it fires (a cron expression
// in a time zone) and what it does while its last task still runs.
import { Form, Input, Select } from 'antd';
import { CONCURRENCY_POLICIES } from './concurrency-policies';

export function ScheduleFields() {
  return (
    <>
      <Form.Item
        name="cron"
        label="Cron expression"
        extra="Five fields (minute hour day month weekday), e.g. 0 3 * * * for 03:00 daily."
        rules={[{ required: true, message: 'Give a cron expression' }]}
      >
        <Input spellCheck={false} placeholder="0 3 * * *" />
      </Form.Item>
      <Form.Item name="timezone" label="Time zone" extra="An IANA zone such as Europe/Berlin.">
        <Input spellCheck={false} />
      </Form.Item>
      <Form.Item name="concurrencyPolicy" label="When the last task still runs">
        <Select options={CONCURRENCY_POLICIES} />
      </Form.Item>
    </>
  );
}
