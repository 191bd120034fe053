// Admin: the audit log, newest first, filtered by action and actor, paged by cursor
// (each "Older" reads the next page after the last one shown).
import { useInfiniteQuery } from '@tanstack/react-query';
import { Button, Input, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { kiln, unwrap } from '../api/kiln';
import type { AuditAction, AuditEntry } from '../api/types';
import { adminKeys } from '../admin/admin-keys';
import { PageHeader } from '../components/PageHeader';
import { ProblemAlert } from '../components/ProblemAlert';
import { Timestamp } from '../components/Timestamp';

const ACTIONS = [
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.session.logged-out',
  'auth.session.reuse-detected',
  'auth.password.changed',
  'auth.api-token.created',
  'auth.api-token.revoked',
  'admin.user.created',
  'admin.user.updated',
  'admin.user.password-reset',
  'admin.queue.created',
  'admin.queue.updated',
  'admin.queue.deleted',
  'admin.queue.paused',
  'admin.queue.resumed',
  'admin.queue.drained',
  'admin.quota.set',
  'admin.quota.cleared',
  'webhooks.webhook.created',
  'webhooks.webhook.updated',
  'webhooks.webhook.deleted',
] as const satisfies readonly AuditAction[];

const PAGE_SIZE = 50;

export default function AuditPage() {
  const [action, setAction] = useState<AuditAction[]>([]);
  const [actor, setActor] = useState('');
  const filters = { action, actor };
  const entries = useInfiniteQuery({
    queryKey: adminKeys.audit(filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) =>
      unwrap(
        kiln.api.GET('/api/v1/admin/audit', {
          params: {
            query: {
              limit: PAGE_SIZE,
              ...(action.length ? { action } : {}),
              ...(actor ? { actor } : {}),
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
        }),
      ),
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
  const rows = entries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <PageHeader title="Audit log">
        <Select
          mode="multiple"
          allowClear
          placeholder="Any action"
          aria-label="Action filter"
          style={{ minWidth: 260 }}
          value={action}
          onChange={setAction}
          options={ACTIONS.map((value) => ({ value, label: value }))}
        />
        <Input.Search
          allowClear
          placeholder="Actor (user id)"
          aria-label="Actor"
          onSearch={setActor}
          style={{ width: 240 }}
        />
      </PageHeader>
      <ProblemAlert error={entries.error} title="The audit log could not be loaded" />
      <Table<AuditEntry>
        rowKey="id"
        size="middle"
        loading={entries.isPending}
        dataSource={rows}
        pagination={false}
        expandable={{
          expandedRowRender: (entry) => (
            <Typography.Text code>{JSON.stringify(entry.details)}</Typography.Text>
          ),
          rowExpandable: (entry) => Object.keys(entry.details ?? {}).length > 0,
        }}
        locale={{ emptyText: 'Nothing recorded matches these filters.' }}
        columns={[
          {
            title: 'When',
            dataIndex: 'occurredAt',
            width: 190,
            render: (value: string) => <Timestamp value={value} />,
          },
          { title: 'Action', dataIndex: 'action' },
          {
            title: 'Actor',
            dataIndex: 'actor',
            render: (entryActor: AuditEntry['actor']) => entryActor?.username ?? 'anonymous',
          },
          {
            title: 'Target',
            dataIndex: 'target',
            render: (target: AuditEntry['target']) =>
              target ? `${target.type} ${target.id}` : '—',
          },
          { title: 'IP', dataIndex: 'ip', width: 130 },
          {
            title: 'Request id',
            dataIndex: 'requestId',
            width: 120,
            render: (id: string | null) =>
              id ? <Typography.Text code>{id.slice(0, 8)}</Typography.Text> : '—',
          },
        ]}
      />
      <Button
        style={{ marginTop: 16 }}
        disabled={!entries.hasNextPage}
        loading={entries.isFetchingNextPage}
        onClick={() => void entries.fetchNextPage()}
      >
        Older entries
      </Button>
    </>
  );
}
