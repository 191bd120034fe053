// The user's API tokens: create with scopes (the token is shown once), revoke.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { kiln, unwrap } from '../api/kiln';
import { TOKEN_SCOPES, type ApiToken, type CreatedApiToken, type TokenScope } from '../api/types';
import { ProblemAlert } from '../components/ProblemAlert';

const tokensKey = ['account', 'tokens'] as const;

interface NewToken {
  name: string;
  scopes?: TokenScope[];
  expiresAt?: { toISOString(): string };
}

export default function ApiTokensPage() {
  const [form] = Form.useForm<NewToken>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [created, setCreated] = useState<CreatedApiToken>();
  const tokens = useQuery({
    queryKey: tokensKey,
    queryFn: () => unwrap(kiln.api.GET('/api/v1/auth/tokens')),
  });
  const create = useMutation({
    mutationFn: (token: NewToken) =>
      unwrap(
        kiln.api.POST('/api/v1/auth/tokens', {
          body: {
            name: token.name,
            scopes: token.scopes?.length ? token.scopes : undefined,
            expiresAt: token.expiresAt?.toISOString(),
          },
        }),
      ),
    onSuccess: (token) => {
      setCreated(token);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) =>
      unwrap(kiln.api.DELETE('/api/v1/auth/tokens/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      message.success('Token revoked');
      void queryClient.invalidateQueries({ queryKey: tokensKey });
    },
    onError: (error: Error) => message.error(error.message),
  });

  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        API tokens
      </Typography.Title>
      <Typography.Paragraph>
        Tokens let scripts and CI call Kiln as you (send it as{' '}
        <Typography.Text code>Authorization: Bearer …</Typography.Text>).
      </Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        onFinish={(values) => create.mutate(values)}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="name" label="Name" rules={[{ required: true, message: 'Name the token' }]}>
          <Input placeholder="ci" />
        </Form.Item>
        <Form.Item name="scopes" label="Scopes">
          <Select
            mode="multiple"
            placeholder="everything you may do"
            style={{ minWidth: 220 }}
            options={TOKEN_SCOPES.map((scope) => ({ value: scope, label: scope }))}
          />
        </Form.Item>
        <Form.Item name="expiresAt" label="Expires">
          <DatePicker showTime />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={create.isPending}>
          Create token
        </Button>
      </Form>
      <ProblemAlert error={create.error} title="The token was not created" />
      <ProblemAlert error={tokens.error} title="The tokens could not be loaded" />
      <Table<ApiToken>
        rowKey="id"
        loading={tokens.isPending}
        dataSource={tokens.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: 'No API tokens yet. Create one above for a script or CI job.' }}
        columns={[
          { title: 'Name', dataIndex: 'name' },
          {
            title: 'Token',
            dataIndex: 'hint',
            render: (hint: string) => <Typography.Text code>{hint}…</Typography.Text>,
          },
          {
            title: 'Scopes',
            dataIndex: 'scopes',
            render: (scopes: ApiToken['scopes']) =>
              scopes?.length ? (
                scopes.map((scope) => <Tag key={scope}>{scope}</Tag>)
              ) : (
                <Tag>all</Tag>
              ),
          },
          {
            title: 'Expires',
            dataIndex: 'expiresAt',
            render: (value: string | null) => (value ? new Date(value).toLocaleString() : 'never'),
          },
          {
            title: 'Last used',
            dataIndex: 'lastUsedAt',
            render: (value: string | null) => (value ? new Date(value).toLocaleString() : 'never'),
          },
          {
            title: 'Revoke',
            key: 'revoke',
            render: (_, token) => (
              <Popconfirm
                title={`Revoke ${token.name}?`}
                okText="Revoke"
                onConfirm={() => revoke.mutate(token.id)}
              >
                <Button danger size="small">
                  Revoke
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        title="Your new API token"
        open={!!created}
        onOk={() => setCreated(undefined)}
        onCancel={() => setCreated(undefined)}
        cancelButtonProps={{ style: { display: 'none' } }}
        destroyOnHidden
      >
        <Alert
          type="warning"
          showIcon
          title="Copy it now: Kiln shows it only once."
          style={{ marginBottom: 12 }}
        />
        <Typography.Paragraph copyable code data-testid="new-token">
          {created?.token}
        </Typography.Paragraph>
      </Modal>
    </>
  );
}
