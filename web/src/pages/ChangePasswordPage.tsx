import { App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { kiln, unwrap } from '../api/kiln';
import { ProblemAlert } from '../components/ProblemAlert';

interface Passwords {
  currentPassword: string;
  newPassword: string;
  repeat: string;
}

export default function ChangePasswordPage() {
  const [form] = Form.useForm<Passwords>();
  const { message } = App.useApp();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async ({ currentPassword, newPassword }: Passwords) => {
    setBusy(true);
    setError(undefined);
    try {
      await unwrap(
        kiln.api.POST('/api/v1/auth/me/password', { body: { currentPassword, newPassword } }),
      );
      message.success('Password changed');
      form.resetFields();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card style={{ maxWidth: 480 }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        Change password
      </Typography.Title>
      <Form form={form} layout="vertical" onFinish={(values) => void submit(values)}>
        <Form.Item
          name="currentPassword"
          label="Current password"
          rules={[{ required: true, message: 'Enter your current password' }]}
        >
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="New password"
          rules={[{ required: true, min: 12, message: 'At least 12 characters' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="repeat"
          label="New password again"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: 'Repeat the new password' },
            ({ getFieldValue }) => ({
              validator: async (_, value) => {
                if (value && value !== getFieldValue('newPassword'))
                  throw new Error('The passwords differ');
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <ProblemAlert error={error} title="The password was not changed" />
        <Button type="primary" htmlType="submit" loading={busy} style={{ marginTop: 16 }}>
          Change password
        </Button>
      </Form>
    </Card>
  );
}
