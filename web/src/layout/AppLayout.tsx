// The frame of every signed-in page: the menu (admin entries only for admins), the theme
// switch, the user's menu, the banner shown while the live event stream is down, and the
// error state of a page that failed to render.
import {
  ApiOutlined,
  AuditOutlined,
  BulbOutlined,
  ClockCircleOutlined,
  CloudServerOutlined,
  DashboardOutlined,
  DiffOutlined,
  ExperimentOutlined,
  FundOutlined,
  KeyOutlined,
  LogoutOutlined,
  NodeIndexOutlined,
  PlusOutlined,
  SendOutlined,
  TeamOutlined,
  UnorderedListOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Alert, Button, Dropdown, Layout, Menu, Space, Typography } from 'antd';
import type { MenuProps } from 'antd';
import { Suspense } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/auth-context';
import { PageErrorBoundary } from '../components/PageErrorBoundary';
import { PageLoading } from '../components/PageLoading';
import { useStreamState } from '../live/event-stream';
import { useThemeMode } from './theme';

function menuItems(isAdmin: boolean, canAct: boolean): MenuProps['items'] {
  const items: MenuProps['items'] = [
    { key: '/tasks', icon: <UnorderedListOutlined />, label: <Link to="/tasks">Tasks</Link> },
  ];
  if (canAct)
    items.push({
      key: '/tasks/new',
      icon: <PlusOutlined />,
      label: <Link to="/tasks/new">Submit</Link>,
    });
  items.push(
    { key: '/compare', icon: <DiffOutlined />, label: <Link to="/compare">Compare</Link> },
    { key: '/sweeps', icon: <ExperimentOutlined />, label: <Link to="/sweeps">Sweeps</Link> },
    {
      key: '/schedules',
      icon: <ClockCircleOutlined />,
      label: <Link to="/schedules">Schedules</Link>,
    },
    {
      key: '/services',
      icon: <CloudServerOutlined />,
      label: <Link to="/services">Services</Link>,
    },
    { key: '/webhooks', icon: <SendOutlined />, label: <Link to="/webhooks">Webhooks</Link> },
  );
  if (isAdmin)
    items.push({
      key: 'admin',
      type: 'group',
      label: 'Admin',
      children: [
        {
          key: '/admin/users',
          icon: <TeamOutlined />,
          label: <Link to="/admin/users">Users</Link>,
        },
        {
          key: '/admin/queues',
          icon: <NodeIndexOutlined />,
          label: <Link to="/admin/queues">Queues</Link>,
        },
        {
          key: '/admin/quotas',
          icon: <FundOutlined />,
          label: <Link to="/admin/quotas">Quotas</Link>,
        },
        {
          key: '/admin/audit',
          icon: <AuditOutlined />,
          label: <Link to="/admin/audit">Audit log</Link>,
        },
        {
          key: '/admin/system',
          icon: <DashboardOutlined />,
          label: <Link to="/admin/system">System</Link>,
        },
      ],
    });
  return items;
}

function selectedKey(pathname: string): string {
  if (pathname.startsWith('/tasks/new')) return '/tasks/new';
  // A detail page lights its section: /services/x → /services.
  const section = pathname.match(/^\/(admin\/)?[^/]+/)?.[0];
  return section ?? pathname;
}

export function AppLayout() {
  const { user, isAdmin, canAct, signOut } = useAuth();
  const { mode, toggle } = useThemeMode();
  const stream = useStreamState();
  const location = useLocation();
  const navigate = useNavigate();

  const userMenu: MenuProps['items'] = [
    { key: 'tokens', icon: <ApiOutlined />, label: <Link to="/account/tokens">API tokens</Link> },
    {
      key: 'password',
      icon: <KeyOutlined />,
      label: <Link to="/account/password">Change password</Link>,
    },
    { type: 'divider' },
    {
      key: 'sign-out',
      icon: <LogoutOutlined />,
      label: 'Sign out',
      onClick: () => void signOut().then(() => navigate('/sign-in')),
    },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider breakpoint="lg" collapsedWidth={0} theme={mode} width={200}>
        <div style={{ padding: 16 }}>
          <Link to="/tasks" aria-label="Kiln home">
            <Typography.Title level={4} style={{ margin: 0 }}>
              Kiln
            </Typography.Title>
          </Link>
        </div>
        <nav aria-label="Main">
          <Menu
            mode="inline"
            theme={mode}
            selectedKeys={[selectedKey(location.pathname)]}
            items={menuItems(isAdmin, canAct)}
          />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header
          style={{
            display: 'flex',
            justifyContent: 'flex-end',
            alignItems: 'center',
            paddingInline: 24,
            background: 'transparent',
          }}
        >
          <Space>
            <Button
              icon={<BulbOutlined />}
              onClick={toggle}
              aria-label={`Switch to ${mode === 'dark' ? 'light' : 'dark'} theme`}
            >
              {mode === 'dark' ? 'Light' : 'Dark'}
            </Button>
            <Dropdown menu={{ items: userMenu }} trigger={['click']}>
              <Button icon={<UserOutlined />} aria-label="Account menu" data-testid="account-menu">
                {user?.username}
              </Button>
            </Dropdown>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: '0 24px 24px' }}>
          <main>
            {stream === 'down' ? (
              <Alert
                type="warning"
                showIcon
                role="status"
                data-testid="stream-down"
                title="Live updates are interrupted. Reconnecting…"
                description="What you see may be out of date until the connection is back."
                style={{ marginBottom: 16 }}
              />
            ) : null}
            {/* keyed by the page's address: opening another page leaves a failed one behind */}
            <PageErrorBoundary key={location.pathname}>
              <Suspense fallback={<PageLoading />}>
                <Outlet />
              </Suspense>
            </PageErrorBoundary>
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
