import { Button, Result } from 'antd';
import { Link } from 'react-router';

export function ForbiddenPage() {
  return (
    <Result
      status="403"
      title="403"
      subTitle="This page is for administrators. Ask an admin if you need access."
      extra={
        <Link to="/tasks">
          <Button type="primary">Back to tasks</Button>
        </Link>
      }
    />
  );
}

export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="404"
      subTitle="There is no page at this address."
      extra={
        <Link to="/tasks">
          <Button type="primary">Back to tasks</Button>
        </Link>
      }
    />
  );
}
