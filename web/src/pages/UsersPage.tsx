// Admin: users. Create, change roles, disable and enable.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { kiln, unwrap } from '../api/kiln';
import { ROLES, type Role, type User } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { FormModal } from '../components/FormModal';
import { ProblemAlert } from '../components/ProblemAlert';

const usersKey = ['admin', 'users'] as const;

interface NewUser {
  username: string;
  password: string;
  email?: string;
  displayName?: string;
  roles: Role[];
}

function CreateUserModal({ open, onClose }: { open: boolean; onClose(): void }) {
  return (
    <FormModal<NewUser, User>
      title="Create a user"
      open={open}
      onClose={onClose}
      okText="Create"
      submit={(user) =>
        unwrap(
          kiln.api.POST('/api/v1/admin/users', {
            body: {
              ...user,
              email: user.email || undefined,
              displayName: user.displayName || undefined,
            },
          }),
        )
      }
      successMessage={(user) => `Created ${user.username}`}
      invalidates={usersKey}
      failureTitle="The user was not created"
      initialValues={{ roles: ['member'] }}
    >
      <Form.Item
        name="username"
        label="Username"
        rules={[{ required: true, message: 'Give a username' }]}
      >
        <Input autoComplete="off" />
      </Form.Item>
      <Form.Item
        name="password"
        label="Initial password"
        rules={[{ required: true, min: 12, message: 'At least 12 characters' }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item name="email" label="Email" rules={[{ type: 'email' }]}>
        <Input />
      </Form.Item>
      <Form.Item name="displayName" label="Display name">
        <Input />
      </Form.Item>
      <Form.Item
        name="roles"
        label="Roles"
        rules={[{ required: true, message: 'Pick at least one role' }]}
      >
        <Select mode="multiple" options={ROLES.map((role) => ({ value: role, label: role }))} />
      </Form.Item>
    </FormModal>
  );
}

function ResetPasswordModal({ user, onClose }: { user: User | undefined; onClose(): void }) {
  return (
    <FormModal<{ password: string }, unknown>
      title={`Reset the password of ${user?.username ?? ''}`}
      open={!!user}
      onClose={onClose}
      okText="Reset password"
      submit={({ password }) =>
        unwrap(
          kiln.api.POST('/api/v1/admin/users/{id}/password', {
            params: { path: { id: user!.id } },
            body: { password },
          }),
        )
      }
      successMessage={() => `Password of ${user?.username} reset; their sessions ended`}
      failureTitle="The password was not reset"
    >
      <Form.Item
        name="password"
        label="New password"
        rules={[{ required: true, min: 12, message: 'At least 12 characters' }]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </FormModal>
  );
}

export default function UsersPage() {
  const { user: me } = useAuth();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User>();
  const [search, setSearch] = useState('');
  const users = useQuery({
    queryKey: [...usersKey, search],
    queryFn: () =>
      unwrap(
        kiln.api.GET('/api/v1/admin/users', {
          params: { query: { limit: 100, ...(search ? { q: search } : {}) } },
        }),
      ),
  });
  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { roles?: Role[]; disabled?: boolean } }) =>
      unwrap(kiln.api.PATCH('/api/v1/admin/users/{id}', { params: { path: { id } }, body: patch })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: usersKey }),
    onError: (error: Error) => message.error(error.message),
  });

  return (
    <>
      <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 16 }} wrap>
        <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
          Users
        </Typography.Title>
        <Space>
          <Input.Search
            allowClear
            placeholder="Search users"
            aria-label="Search users"
            onSearch={setSearch}
          />
          <Button type="primary" onClick={() => setCreating(true)}>
            Create user
          </Button>
        </Space>
      </Space>
      <ProblemAlert error={users.error} title="The users could not be loaded" />
      <Table<User>
        rowKey="id"
        loading={users.isPending}
        dataSource={users.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        columns={[
          {
            title: 'Username',
            dataIndex: 'username',
            render: (name: string, user) => (
              <>
                {name} {user.id === me?.id ? <Tag>you</Tag> : null}
              </>
            ),
          },
          { title: 'Name', dataIndex: 'displayName' },
          { title: 'Email', dataIndex: 'email' },
          {
            title: 'Roles',
            dataIndex: 'roles',
            width: 260,
            render: (roles: Role[], user) => (
              <Select
                mode="multiple"
                aria-label={`Roles of ${user.username}`}
                value={roles}
                disabled={user.id === me?.id}
                style={{ minWidth: 200 }}
                onChange={(next: Role[]) =>
                  next.length && update.mutate({ id: user.id, patch: { roles: next } })
                }
                options={ROLES.map((role) => ({ value: role, label: role }))}
              />
            ),
          },
          {
            title: 'Enabled',
            dataIndex: 'disabled',
            width: 100,
            render: (disabled: boolean, user) => (
              <Switch
                checked={!disabled}
                aria-label={`${user.username} enabled`}
                disabled={user.id === me?.id}
                onChange={(enabled) =>
                  update.mutate({ id: user.id, patch: { disabled: !enabled } })
                }
              />
            ),
          },
          {
            title: 'Last sign-in',
            dataIndex: 'lastLoginAt',
            width: 190,
            render: (value: string | null) => (value ? new Date(value).toLocaleString() : 'never'),
          },
          {
            title: 'Password',
            key: 'password',
            width: 100,
            render: (_, user) => (
              <Button
                size="small"
                onClick={() => setResetting(user)}
                aria-label={`Reset the password of ${user.username}`}
              >
                Reset
              </Button>
            ),
          },
        ]}
      />
      <CreateUserModal open={creating} onClose={() => setCreating(false)} />
      <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />
    </>
  );
}
