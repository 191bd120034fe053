// One model service: its summary and rollout, replicas, revisions (roll back to any
// earlier one), status events and each replica's live log; members and admins scale it,
// roll out a new revision of it, or delete it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Descriptions, InputNumber, Space, Table, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { kiln, unwrap } from '../api/kiln';
import type { Replica, ServiceDetail, ServiceEvent, ServiceRevision } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ConfirmButton } from '../components/ConfirmButton';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import {
  fetchRevisions,
  fetchService,
  fetchServiceEvents,
  serviceKeys,
} from '../services/service-queries';
import { EditServiceModal } from '../services/EditServiceModal';
import { ReplicaLogsPanel } from '../services/ReplicaLogsPanel';
import { ReplicaStateTag, ServiceStatusTag } from '../services/ServiceStatusTag';

function ScaleControl({ service }: { service: ServiceDetail }) {
  const [replicas, setReplicas] = useState<number | null>(service.replicas.desired);
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const scale = useMutation({
    mutationFn: (count: number) =>
      unwrap(
        kiln.api.POST('/api/v1/services/{name}/scale', {
          params: { path: { name: service.name } },
          body: { replicas: count },
        }),
      ),
    onSuccess: (updated) => {
      message.success(`Scaling ${updated.name} to ${updated.replicas.desired}`);
      void queryClient.invalidateQueries({ queryKey: serviceKeys.all });
    },
    onError: (error: Error) => message.error(error.message),
  });
  return (
    <Space.Compact>
      <InputNumber
        min={0}
        max={100}
        value={replicas}
        onChange={setReplicas}
        aria-label="Replicas"
        style={{ width: 90 }}
      />
      <Button
        onClick={() => replicas !== null && scale.mutate(replicas)}
        loading={scale.isPending}
        disabled={replicas === null || replicas === service.replicas.desired}
      >
        Scale
      </Button>
    </Space.Compact>
  );
}

/** The last minutes' invocations in one line: how many, the share of 5xx, p50/p99. */
function invocationsText(invocations: ServiceDetail['invocations']): string {
  if (!invocations) return 'unavailable';
  const { total, byStatusClass, latencyMs } = invocations;
  if (total === 0 || !latencyMs) return 'none';
  const errorRate = ((byStatusClass['5xx'] / total) * 100).toFixed(1);
  return `${total}, ${errorRate}% 5xx, p50 ${latencyMs.p50} ms, p99 ${latencyMs.p99} ms`;
}

function windowMinutes(service: ServiceDetail): number {
  return (service.invocations?.windowSeconds ?? 300) / 60;
}

function Summary({ service }: { service: ServiceDetail }) {
  const spec = service.spec;
  return (
    <Descriptions bordered size="small" column={2} style={{ marginBottom: 16 }}>
      <Descriptions.Item label="Status">
        <ServiceStatusTag status={service.status} />
        {service.reason ? <div>{service.reason}</div> : null}
      </Descriptions.Item>
      <Descriptions.Item label="Replicas">
        {service.replicas.ready} of {service.replicas.desired} ready, {service.replicas.updated} on
        revision {service.revision}
      </Descriptions.Item>
      <Descriptions.Item label="Serving revision">
        {service.servingRevision ?? '—'}
      </Descriptions.Item>
      <Descriptions.Item label="Rollout">
        {service.rollout
          ? `revision ${service.rollout.revision}: ${service.rollout.state}`
          : 'none yet'}
      </Descriptions.Item>
      <Descriptions.Item label="Endpoint" span={2}>
        <Typography.Text code copyable>
          {service.endpoint}
        </Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label="Runs" span={2}>
        <Typography.Text code>{spec.image ?? spec.command?.join(' ') ?? '—'}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label="Port">{spec.port}</Descriptions.Item>
      <Descriptions.Item label="Health path">{spec.healthPath}</Descriptions.Item>
      <Descriptions.Item label="Queue">{service.queue}</Descriptions.Item>
      <Descriptions.Item label="Runtime">{service.runtime}</Descriptions.Item>
      <Descriptions.Item label="Failed connection" span={2}>
        {service.invokeRetry ? 'retried once on another replica' : 'not retried'}
      </Descriptions.Item>
      <Descriptions.Item label={`Invocations (last ${windowMinutes(service)} min)`} span={2}>
        {invocationsText(service.invocations)}
      </Descriptions.Item>
      {service.description ? (
        <Descriptions.Item label="Description" span={2}>
          {service.description}
        </Descriptions.Item>
      ) : null}
    </Descriptions>
  );
}

function ReplicasTable({ service }: { service: ServiceDetail }) {
  return (
    <Table<Replica>
      rowKey="name"
      size="small"
      dataSource={service.replicaList}
      pagination={false}
      locale={{ emptyText: 'No replicas: scale the service up to serve it.' }}
      columns={[
        { title: 'Replica', dataIndex: 'name' },
        { title: 'Revision', dataIndex: 'revision', width: 100 },
        {
          title: 'State',
          dataIndex: 'state',
          width: 120,
          render: (_, replica) => <ReplicaStateTag state={replica.state} />,
        },
        { title: 'Restarts', dataIndex: 'restarts', width: 100 },
        { title: 'Reason', dataIndex: 'reason' },
        {
          title: 'Started',
          dataIndex: 'startedAt',
          width: 190,
          render: (value: string | null) => <Timestamp value={value} />,
        },
      ]}
    />
  );
}

function RevisionsTable({ service, canAct }: { service: ServiceDetail; canAct: boolean }) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const revisions = useQuery({
    queryKey: serviceKeys.revisions(service.name),
    queryFn: () => fetchRevisions(service.name),
  });
  const rollback = useMutation({
    mutationFn: (revision: number) =>
      unwrap(
        kiln.api.POST('/api/v1/services/{name}/rollback', {
          params: { path: { name: service.name } },
          body: { revision },
        }),
      ),
    onSuccess: (updated) => {
      message.success(`Rolling ${updated.name} out as revision ${updated.revision}`);
      void queryClient.invalidateQueries({ queryKey: serviceKeys.all });
    },
    onError: (error: Error) => message.error(error.message),
  });
  return (
    <>
      <ProblemAlert error={revisions.error} title="The revisions could not be loaded" />
      <Table<ServiceRevision>
        rowKey="number"
        size="small"
        loading={revisions.isPending}
        dataSource={revisions.data?.items ?? []}
        pagination={false}
        columns={[
          { title: 'Revision', dataIndex: 'number', width: 90 },
          { title: 'Cause', dataIndex: 'cause' },
          {
            title: 'Runs',
            key: 'runs',
            render: (_, revision) => (
              <Typography.Text code>
                {revision.image ?? revision.command?.join(' ') ?? '—'}
              </Typography.Text>
            ),
          },
          {
            title: 'Created',
            dataIndex: 'createdAt',
            width: 190,
            render: (value: string) => <Timestamp value={value} />,
          },
          ...(canAct
            ? [
                {
                  title: 'Roll back',
                  key: 'rollback',
                  width: 120,
                  render: (_: unknown, revision: ServiceRevision) =>
                    revision.number === service.revision ? (
                      <Typography.Text type="secondary">current</Typography.Text>
                    ) : (
                      <ConfirmButton
                        size="small"
                        question={`Roll ${service.name} back to revision ${revision.number}?`}
                        confirmText="Roll back"
                        onConfirm={() => rollback.mutate(revision.number)}
                        aria-label={`Roll back to revision ${revision.number}`}
                      >
                        Roll back
                      </ConfirmButton>
                    ),
                },
              ]
            : []),
        ]}
      />
    </>
  );
}

function EventsTable({ name }: { name: string }) {
  const events = useQuery({
    queryKey: serviceKeys.events(name),
    queryFn: () => fetchServiceEvents(name),
  });
  return (
    <>
      <ProblemAlert error={events.error} title="The events could not be loaded" />
      <Table<ServiceEvent>
        rowKey="id"
        size="small"
        loading={events.isPending}
        dataSource={events.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: 'When',
            dataIndex: 'occurredAt',
            width: 190,
            render: (value: string) => <Timestamp value={value} />,
          },
          {
            title: 'Change',
            key: 'change',
            width: 200,
            render: (_, event) => `${event.fromStatus ?? 'new'} → ${event.toStatus}`,
          },
          { title: 'Revision', dataIndex: 'revision', width: 90 },
          { title: 'By', dataIndex: 'actor', width: 120 },
          { title: 'Why', dataIndex: 'reason' },
        ]}
      />
    </>
  );
}

export default function ServiceDetailPage() {
  const { name = '' } = useParams();
  const { canAct } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [editing, setEditing] = useState(false);
  const service = useQuery({
    queryKey: serviceKeys.detail(name),
    queryFn: () => fetchService(name),
  });
  const remove = useMutation({
    mutationFn: () =>
      unwrap(kiln.api.DELETE('/api/v1/services/{name}', { params: { path: { name } } })),
    onSuccess: () => {
      message.success(`Stopping and deleting ${name}`);
      void queryClient.invalidateQueries({ queryKey: serviceKeys.all });
      void navigate('/services');
    },
    onError: (error: Error) => message.error(error.message),
  });

  return (
    <>
      <PageHeader title={`Service ${name}`}>
        <Button
          onClick={() => void queryClient.invalidateQueries({ queryKey: serviceKeys.detail(name) })}
        >
          Refresh
        </Button>
        {canAct && service.data ? (
          <>
            <ScaleControl key={service.data.replicas.desired} service={service.data} />
            <Button onClick={() => setEditing(true)}>Edit</Button>
            <ConfirmButton
              danger
              question={`Stop every replica of ${name} and delete it?`}
              confirmText="Delete"
              onConfirm={() => remove.mutate()}
              loading={remove.isPending}
            >
              Delete
            </ConfirmButton>
          </>
        ) : null}
      </PageHeader>
      <ProblemAlert error={service.error} title="The service could not be loaded" />
      {canAct && service.data ? (
        <EditServiceModal service={service.data} open={editing} onClose={() => setEditing(false)} />
      ) : null}
      {service.data ? (
        <>
          <Summary service={service.data} />
          <Tabs
            items={[
              {
                key: 'replicas',
                label: 'Replicas',
                children: <ReplicasTable service={service.data} />,
              },
              {
                key: 'revisions',
                label: 'Revisions',
                children: <RevisionsTable service={service.data} canAct={canAct} />,
              },
              { key: 'events', label: 'Events', children: <EventsTable name={name} /> },
              {
                key: 'logs',
                label: 'Logs',
                children: <ReplicaLogsPanel service={service.data} />,
              },
            ]}
          />
        </>
      ) : null}
    </>
  );
}
