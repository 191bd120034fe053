// A new schedule: a cron expression in a time zone, and the task it submits at each time.
import { Form, Input } from 'antd';
import { kiln, unwrap } from '../api/kiln';
import type { NewSchedule, Schedule } from '../api/types';
import { FormModal } from '../components/FormModal';
import { argumentLines } from '../forms/argument-lines';
import { scheduleKeys } from './schedule-keys';
import { ScheduleFields } from './ScheduleFields';

interface ScheduleForm {
  name: string;
  cron: string;
  timezone?: string;
  concurrencyPolicy: NonNullable<NewSchedule['concurrencyPolicy']>;
  taskName: string;
  command: string;
  queue?: string;
}

export function CreateScheduleModal({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <FormModal<ScheduleForm, Schedule>
      title="Create a schedule"
      open={open}
      onClose={onClose}
      okText="Create"
      submit={(values) =>
        unwrap(
          kiln.api.POST('/api/v1/schedules', {
            body: {
              name: values.name,
              cron: values.cron,
              timezone: values.timezone || undefined,
              concurrencyPolicy: values.concurrencyPolicy,
              task: {
                name: values.taskName,
                command: argumentLines(values.command) ?? [],
                queue: values.queue || undefined,
              },
            },
          }),
        )
      }
      successMessage={(schedule) => `Scheduled ${schedule.name}`}
      invalidates={scheduleKeys.all}
      failureTitle="The schedule was not created"
      initialValues={{
        concurrencyPolicy: 'Allow',
        timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      }}
    >
      <Form.Item name="name" label="Name" rules={[{ required: true, message: 'Name it' }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <ScheduleFields />
      <Form.Item
        name="taskName"
        label="Task name"
        rules={[{ required: true, message: 'Name the task it submits' }]}
      >
        <Input />
      </Form.Item>
      <Form.Item
        name="command"
        label="Task command"
        extra="One argument per line."
        rules={[{ required: true, message: 'Give the command to run' }]}
      >
        <Input.TextArea rows={3} spellCheck={false} />
      </Form.Item>
      <Form.Item name="queue" label="Queue">
        <Input placeholder="the default queue" />
      </Form.Item>
    </FormModal>
  );
}
