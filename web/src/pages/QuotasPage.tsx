// Admin: per-user quotas. The defaults every user gets, then each user with an override:
// the override, what applies and what they use now. Set or clear an override.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, Form, Input, InputNumber, Table } from 'antd';
import { useState } from 'react';
import { kiln, unwrap } from '../api/kiln';
import type { QuotaOverrides, UserQuota } from '../api/types';
import { adminKeys } from '../admin/admin-keys';
import { actionsColumn } from '../components/actions-column';
import { FormModal } from '../components/FormModal';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';

interface QuotaForm extends QuotaOverrides {
  userId: string;
}

function SetQuotaModal({ initial, onClose }: { initial: QuotaForm | undefined; onClose(): void }) {
  return (
    <FormModal<QuotaForm, unknown>
      title="Set a user's quota"
      open={!!initial}
      onClose={onClose}
      okText="Save"
      submit={({ userId, ...limits }) =>
        unwrap(
          kiln.api.PATCH('/api/v1/admin/quotas/{userId}', {
            params: { path: { userId } },
            body: limits,
          }),
        )
      }
      successMessage={() => 'Quota saved'}
      invalidates={adminKeys.quotas}
      failureTitle="The quota was not saved"
      initialValues={initial}
    >
      <Form.Item
        name="userId"
        label="User id"
        rules={[{ required: true, message: 'Give the user id' }]}
      >
        <Input disabled={!!initial?.userId} spellCheck={false} />
      </Form.Item>
      <Form.Item name="maxRunning" label="Running tasks at most">
        <InputNumber min={0} />
      </Form.Item>
      <Form.Item name="maxGpus" label="GPUs at most">
        <InputNumber min={0} />
      </Form.Item>
      <Form.Item name="maxPending" label="Waiting tasks at most">
        <InputNumber min={0} />
      </Form.Item>
    </FormModal>
  );
}

const limitText = (value: number | null | undefined) => value ?? '—';

export default function QuotasPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<QuotaForm>();
  const quotas = useQuery({
    queryKey: adminKeys.quotas,
    queryFn: () => unwrap(kiln.api.GET('/api/v1/admin/quotas')),
  });
  const clear = useMutation({
    mutationFn: (userId: string) =>
      unwrap(kiln.api.DELETE('/api/v1/admin/quotas/{userId}', { params: { path: { userId } } })),
    onSuccess: () => {
      message.success('Override cleared: the defaults apply');
      void queryClient.invalidateQueries({ queryKey: adminKeys.quotas });
    },
    onError: (error: Error) => message.error(error.message),
  });
  const defaults = quotas.data?.defaults;
  return (
    <>
      <PageHeader title="Quotas">
        <Button type="primary" onClick={() => setEditing({ userId: '' })}>
          Set a quota
        </Button>
      </PageHeader>
      <ProblemAlert error={quotas.error} title="The quotas could not be loaded" />
      {defaults ? (
        <Descriptions
          title="Defaults"
          bordered
          size="small"
          column={3}
          style={{ marginBottom: 16 }}
        >
          <Descriptions.Item label="Running">{limitText(defaults.maxRunning)}</Descriptions.Item>
          <Descriptions.Item label="GPUs">{limitText(defaults.maxGpus)}</Descriptions.Item>
          <Descriptions.Item label="Waiting">{limitText(defaults.maxPending)}</Descriptions.Item>
        </Descriptions>
      ) : null}
      <Table<UserQuota>
        rowKey="userId"
        loading={quotas.isPending}
        dataSource={quotas.data?.items ?? []}
        pagination={false}
        locale={{
          emptyText: 'Every user has the defaults. Set a quota to give one user other limits.',
        }}
        columns={[
          { title: 'User id', dataIndex: 'userId' },
          ...(['maxRunning', 'maxGpus', 'maxPending'] as const).map((limit) => ({
            title: { maxRunning: 'Running', maxGpus: 'GPUs', maxPending: 'Waiting' }[limit],
            key: limit,
            render: (_: unknown, quota: UserQuota) => {
              const usage = {
                maxRunning: quota.usage.running,
                maxGpus: quota.usage.gpus,
                maxPending: quota.usage.pending,
              }[limit];
              return `${usage} of ${limitText(quota.effective[limit])}`;
            },
          })),
          actionsColumn<UserQuota>((quota) => [
            {
              label: 'Edit',
              onClick: () =>
                setEditing({
                  userId: quota.userId,
                  maxRunning: quota.overrides.maxRunning ?? undefined,
                  maxGpus: quota.overrides.maxGpus ?? undefined,
                  maxPending: quota.overrides.maxPending ?? undefined,
                }),
            },
            {
              label: 'Clear',
              onClick: () => clear.mutate(quota.userId),
              confirm: {
                question: 'Clear this override, so the defaults apply?',
                confirmText: 'Clear',
              },
            },
          ]),
        ]}
      />
      <SetQuotaModal initial={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}
