// A new sweep: the task each trial runs, the search space, the metric to rank trials by
// and how many run at once.
import { Form, Input, InputNumber, Select } from 'antd';
import { useNavigate } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import type { NewSweep, Sweep } from '../api/types';
import { FormModal } from '../components/FormModal';
import { argumentLines } from '../forms/argument-lines';
import { parseSearchSpace } from './search-space-text';
import { sweepKeys } from './sweep-keys';

interface SweepForm {
  name: string;
  command: string;
  searchSpace: string;
  metric: string;
  goal: 'minimize' | 'maximize';
  strategy: NonNullable<NewSweep['strategy']>;
  maxTrials: number;
  parallelism?: number;
}

export function CreateSweepModal({ open, onClose }: { open: boolean; onClose(): void }) {
  const navigate = useNavigate();
  return (
    <FormModal<SweepForm, Sweep>
      title="Start a sweep"
      open={open}
      onClose={onClose}
      okText="Start"
      submit={(values) =>
        unwrap(
          kiln.api.POST('/api/v1/sweeps', {
            body: {
              name: values.name,
              task: { name: values.name, command: argumentLines(values.command) ?? [] },
              parameters: parseSearchSpace(values.searchSpace),
              objective: { metric: values.metric, goal: values.goal },
              strategy: values.strategy,
              maxTrials: values.maxTrials,
              parallelism: values.parallelism ?? undefined,
            },
          }),
        )
      }
      successMessage={(sweep) => `Started the sweep ${sweep.name}`}
      invalidates={sweepKeys.all}
      onSuccess={(sweep) => void navigate(`/sweeps/${sweep.id}`)}
      failureTitle="The sweep was not started"
      initialValues={{ goal: 'minimize', strategy: 'grid', maxTrials: 10, parallelism: 2 }}
    >
      <Form.Item name="name" label="Name" rules={[{ required: true, message: 'Name it' }]}>
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="command"
        label="Trial command"
        extra="One argument per line; each trial reads its hyperparameters from KILN_HPARAMS."
        rules={[{ required: true, message: 'Give the command each trial runs' }]}
      >
        <Input.TextArea rows={3} spellCheck={false} />
      </Form.Item>
      <Form.Item
        name="searchSpace"
        label="Search space"
        extra="YAML or JSON: each hyperparameter with a list of values or {min, max}."
        rules={[
          { required: true, message: 'Give at least one hyperparameter' },
          {
            validator: async (_, text: string) => {
              if (text) parseSearchSpace(text);
            },
          },
        ]}
      >
        <Input.TextArea
          rows={4}
          spellCheck={false}
          placeholder={'learning_rate: [0.1, 0.5]\nepochs: {min: 5, max: 20, type: int}'}
        />
      </Form.Item>
      <Form.Item
        name="metric"
        label="Objective metric"
        rules={[{ required: true, message: 'Name the metric that ranks the trials' }]}
      >
        <Input placeholder="loss" />
      </Form.Item>
      <Form.Item name="goal" label="Goal">
        <Select
          options={[
            { value: 'minimize', label: 'minimize' },
            { value: 'maximize', label: 'maximize' },
          ]}
        />
      </Form.Item>
      <Form.Item name="strategy" label="Strategy">
        <Select
          options={[
            { value: 'grid', label: 'grid: every combination of the values' },
            { value: 'random', label: 'random: draws from the space' },
          ]}
        />
      </Form.Item>
      <Form.Item
        name="maxTrials"
        label="Trials at most"
        extra="A grid also stops when it has tried every combination."
        rules={[{ required: true, message: 'Give the most trials to run' }]}
      >
        <InputNumber min={1} />
      </Form.Item>
      <Form.Item name="parallelism" label="Trials at once">
        <InputNumber min={1} />
      </Form.Item>
    </FormModal>
  );
}
