// A webhook's recent deliveries with each attempt's answer; a failed one can be sent again.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Table } from 'antd';
import { kiln, unwrap } from '../api/kiln';
import type { WebhookDelivery } from '../api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { webhookKeys } from './webhook-keys';

function lastAttempt(delivery: WebhookDelivery): string {
  const attempt = delivery.attempts.at(-1);
  if (!attempt) return 'not sent yet';
  const answer = attempt.statusCode ? `HTTP ${attempt.statusCode}` : (attempt.error ?? 'no answer');
  return `${answer} after ${attempt.durationMs} ms (attempt ${attempt.attempt})`;
}

export function DeliveryLog({ webhookId, canAct }: { webhookId: string; canAct: boolean }) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const deliveries = useQuery({
    queryKey: webhookKeys.deliveries(webhookId),
    queryFn: () =>
      unwrap(
        kiln.api.GET('/api/v1/webhooks/{id}/deliveries', {
          params: { path: { id: webhookId }, query: { limit: 20 } },
        }),
      ),
  });
  const redeliver = useMutation({
    mutationFn: (deliveryId: string) =>
      unwrap(
        kiln.api.POST('/api/v1/webhooks/{id}/deliveries/{deliveryId}/redeliver', {
          params: { path: { id: webhookId, deliveryId } },
        }),
      ),
    onSuccess: () => {
      message.success('Sent again');
      void queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(webhookId) });
    },
    onError: (error: Error) => message.error(error.message),
  });
  return (
    <>
      <ProblemAlert error={deliveries.error} title="The deliveries could not be loaded" />
      <Table<WebhookDelivery>
        rowKey="id"
        size="small"
        loading={deliveries.isPending}
        dataSource={deliveries.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: 'Nothing delivered yet. Send a ping to try the URL.' }}
        columns={[
          {
            title: 'Created',
            dataIndex: 'createdAt',
            width: 190,
            render: (value: string) => <Timestamp value={value} />,
          },
          { title: 'Event', dataIndex: 'event', width: 110 },
          { title: 'Status', dataIndex: 'status', width: 100 },
          { title: 'Last answer', key: 'answer', render: (_, delivery) => lastAttempt(delivery) },
          ...(canAct
            ? [
                {
                  title: 'Again',
                  key: 'redeliver',
                  width: 100,
                  render: (_: unknown, delivery: WebhookDelivery) => (
                    <Button size="small" onClick={() => redeliver.mutate(delivery.id)}>
                      Redeliver
                    </Button>
                  ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}
