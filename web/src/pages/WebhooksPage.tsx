// Webhooks: the URLs that hear about task status changes (an admin sees everyone's),
// each with its delivery log; edit, enable or disable, ping, delete.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Empty, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { kiln, unwrap } from '../api/kiln';
import type { Webhook } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { actionsColumn } from '../components/actions-column';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { CreateWebhookModal } from '../webhooks/CreateWebhookModal';
import { DeliveryLog } from '../webhooks/DeliveryLog';
import { EditWebhookModal } from '../webhooks/EditWebhookModal';
import { webhookKeys } from '../webhooks/webhook-keys';

export default function WebhooksPage() {
  const { canAct, isAdmin } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Webhook>();
  const webhooks = useQuery({
    queryKey: webhookKeys.all,
    queryFn: () => unwrap(kiln.api.GET('/api/v1/webhooks')),
  });
  const onError = (error: Error) => message.error(error.message);
  const setEnabled = useMutation({
    mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) =>
      unwrap(
        kiln.api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id } }, body: { enabled } }),
      ),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
    onError,
  });
  const ping = useMutation({
    mutationFn: (id: string) =>
      unwrap(kiln.api.POST('/api/v1/webhooks/{id}/ping', { params: { path: { id } } })),
    onSuccess: () => {
      message.success('Ping queued; its answer shows in the delivery log');
      void queryClient.invalidateQueries({ queryKey: webhookKeys.all });
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: (id: string) =>
      unwrap(kiln.api.DELETE('/api/v1/webhooks/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      message.success('Webhook deleted');
      void queryClient.invalidateQueries({ queryKey: webhookKeys.all });
    },
    onError,
  });
  return (
    <>
      <PageHeader title="Webhooks">
        {canAct ? (
          <Button type="primary" onClick={() => setCreating(true)}>
            Add a webhook
          </Button>
        ) : null}
      </PageHeader>
      <ProblemAlert error={webhooks.error} title="The webhooks could not be loaded" />
      <Table<Webhook>
        rowKey="id"
        loading={webhooks.isPending}
        dataSource={webhooks.data?.items ?? []}
        pagination={false}
        expandable={{
          expandedRowRender: (webhook) => <DeliveryLog webhookId={webhook.id} canAct={canAct} />,
        }}
        locale={{
          emptyText: (
            <Empty description="No webhooks yet.">
              {canAct ? 'Add one to have Kiln call a URL when your tasks change status.' : null}
            </Empty>
          ),
        }}
        columns={[
          {
            title: 'URL',
            dataIndex: 'url',
            render: (url: string) => <Typography.Text code>{url}</Typography.Text>,
          },
          {
            title: 'Statuses',
            dataIndex: 'statuses',
            // null: every status, as Kiln answers for a webhook that names none
            render: (statuses: Webhook['statuses']) =>
              statuses?.length ? statuses.join(', ') : 'every status',
          },
          {
            title: 'Tasks',
            dataIndex: 'allTasks',
            width: 100,
            render: (all: boolean) => (all ? 'everyone’s' : 'owner’s'),
          },
          {
            title: 'Enabled',
            dataIndex: 'enabled',
            width: 180,
            render: (enabled: boolean, webhook) => (
              <>
                {canAct ? (
                  <Switch
                    checked={enabled}
                    aria-label={`${webhook.url} enabled`}
                    onChange={(next) => setEnabled.mutate({ id: webhook.id, enabled: next })}
                  />
                ) : enabled ? (
                  'yes'
                ) : (
                  'no'
                )}
                {webhook.disabledReason ? (
                  <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
                    {webhook.disabledReason}
                  </Typography.Paragraph>
                ) : null}
              </>
            ),
          },
          { title: 'Failures in a row', dataIndex: 'consecutiveFailures', width: 130 },
          ...(canAct
            ? [
                actionsColumn<Webhook>(
                  (webhook) => [
                    {
                      label: 'Edit',
                      onClick: () => setEditing(webhook),
                      ariaLabel: `Edit ${webhook.url}`,
                    },
                    { label: 'Ping', onClick: () => ping.mutate(webhook.id) },
                    {
                      label: 'Delete',
                      onClick: () => remove.mutate(webhook.id),
                      confirm: {
                        question: 'Delete this webhook and its delivery log?',
                        confirmText: 'Delete',
                      },
                    },
                  ],
                  220,
                ),
              ]
            : []),
        ]}
      />
      <CreateWebhookModal open={creating} isAdmin={isAdmin} onClose={() => setCreating(false)} />
      <EditWebhookModal webhook={editing} onClose={() => setEditing(undefined)} />
    </>
  );
}
