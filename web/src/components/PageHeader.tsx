// A page's title with its actions on the right, the same on every list page.
import { Space, Typography } from 'antd';
import type { ReactNode } from 'react';

export function PageHeader({ title, children }: { title: ReactNode; children?: ReactNode }) {
  return (
    <Space style={{ justifyContent: 'space-between', width: '100%', marginBottom: 16 }} wrap>
      <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
        {title}
      </Typography.Title>
      {children ? <Space wrap>{children}</Space> : null}
    </Space>
  );
}
