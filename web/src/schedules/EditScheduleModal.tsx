// Changes a schedule in place: when it fires, what it does while the last task runs,
// whether it is paused, and the task it submits (its whole template, as YAML).
import { Form, Input, Switch } from 'antd';
import { kiln, unwrap } from '../api/kiln';
import type { Schedule } from '../api/types';
import { FormModal } from '../components/FormModal';
import { scheduleKeys } from './schedule-keys';
import { ScheduleFields } from './ScheduleFields';
import { parseTemplate, templateText } from './task-template-text';

interface ScheduleEdit {
  cron: string;
  timezone: string;
  concurrencyPolicy: Schedule['concurrencyPolicy'];
  suspend: boolean;
  task: string;
}

export function EditScheduleModal({
  schedule,
  onClose,
}: {
  schedule: Schedule | undefined;
  onClose(): void;
}) {
  return (
    <FormModal<ScheduleEdit, Schedule>
      title={`Edit the schedule ${schedule?.name ?? ''}`}
      open={!!schedule}
      onClose={onClose}
      okText="Save"
      submit={(values) =>
        unwrap(
          kiln.api.PATCH('/api/v1/schedules/{id}', {
            params: { path: { id: schedule!.id } },
            body: {
              cron: values.cron,
              timezone: values.timezone,
              concurrencyPolicy: values.concurrencyPolicy,
              suspend: values.suspend,
              task: parseTemplate(values.task),
            },
          }),
        )
      }
      successMessage={(saved) => `Saved ${saved.name}`}
      invalidates={scheduleKeys.all}
      failureTitle="The schedule was not saved"
      initialValues={
        schedule && {
          cron: schedule.cron,
          timezone: schedule.timezone,
          concurrencyPolicy: schedule.concurrencyPolicy,
          suspend: schedule.suspended,
          task: templateText(schedule.task),
        }
      }
    >
      <ScheduleFields />
      <Form.Item
        name="suspend"
        label="Paused"
        valuePropName="checked"
        extra="A paused schedule fires nothing; resumed, it starts from the next time."
      >
        <Switch />
      </Form.Item>
      <Form.Item
        name="task"
        label="Task it submits"
        extra="YAML with the fields of a task submission (name, command, queue, env, resources, …)."
        rules={[
          { required: true, message: 'Give the task it submits' },
          {
            validator: async (_, text: string) => {
              if (text) parseTemplate(text);
            },
          },
        ]}
      >
        <Input.TextArea rows={8} spellCheck={false} />
      </Form.Item>
    </FormModal>
  );
}
