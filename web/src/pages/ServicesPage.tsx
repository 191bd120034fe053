// Model services: each with its status, ready replicas and the revision it serves;
// members and admins deploy new ones.
import { useQuery } from '@tanstack/react-query';
import { Button, Empty, Table, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import type { Service } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';
import { DeployServiceModal } from '../services/DeployServiceModal';
import { fetchServices, serviceKeys } from '../services/service-queries';
import { ServiceStatusTag } from '../services/ServiceStatusTag';

export default function ServicesPage() {
  const { canAct } = useAuth();
  const [deploying, setDeploying] = useState(false);
  const services = useQuery({ queryKey: serviceKeys.list(), queryFn: fetchServices });
  return (
    <>
      <PageHeader title="Model services">
        <Button onClick={() => void services.refetch()} loading={services.isRefetching}>
          Refresh
        </Button>
        {canAct ? (
          <Button type="primary" onClick={() => setDeploying(true)}>
            Deploy a service
          </Button>
        ) : null}
      </PageHeader>
      <ProblemAlert error={services.error} title="The services could not be loaded" />
      <Table<Service>
        rowKey="id"
        loading={services.isPending}
        dataSource={services.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{
          emptyText: (
            <Empty description="No model services yet.">
              {canAct ? 'Deploy one to serve a trained model behind an endpoint.' : null}
            </Empty>
          ),
        }}
        columns={[
          {
            title: 'Name',
            dataIndex: 'name',
            render: (name: string) => (
              <Link to={`/services/${encodeURIComponent(name)}`}>{name}</Link>
            ),
          },
          {
            title: 'Status',
            dataIndex: 'status',
            width: 120,
            render: (_, service) => <ServiceStatusTag status={service.status} />,
          },
          {
            title: 'Replicas',
            key: 'replicas',
            width: 110,
            render: (_, { replicas }) => `${replicas.ready} / ${replicas.desired} ready`,
          },
          {
            title: 'Revision',
            key: 'revision',
            width: 140,
            render: (_, service) =>
              service.servingRevision === service.revision
                ? `${service.revision}`
                : `${service.servingRevision ?? '—'} → ${service.revision}`,
          },
          {
            title: 'Endpoint',
            dataIndex: 'endpoint',
            render: (endpoint: string) => <Typography.Text code>{endpoint}</Typography.Text>,
          },
          {
            title: 'Updated',
            dataIndex: 'updatedAt',
            width: 190,
            render: (value: string) => <Timestamp value={value} />,
          },
        ]}
      />
      <DeployServiceModal open={deploying} onClose={() => setDeploying(false)} />
    </>
  );
}
