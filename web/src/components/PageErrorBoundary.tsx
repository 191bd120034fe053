// A page that fails to render shows what went wrong and the ways on, inside the frame:
// the menu keeps working, and opening another page (or trying again) starts afresh.
import { Alert, Button, Space, Typography } from 'antd';
import { Component } from 'react';
import type { ErrorInfo, ReactNode } from 'react';
import { Link } from 'react-router';

interface Props {
  children: ReactNode;
}

interface State {
  error?: Error;
}

export class PageErrorBoundary extends Component<Props, State> {
  state: State = {};

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  componentDidCatch(error: Error, info: ErrorInfo): void {
    // what a bug report needs: where in the page it broke
    console.error('The page failed to render', error, info.componentStack);
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <Alert
        type="error"
        showIcon
        role="alert"
        data-testid="page-error"
        title="This page could not be shown"
        description={
          <>
            <Typography.Paragraph>
              Something in it broke while it was drawn: {error.message || String(error)}
            </Typography.Paragraph>
            <Space>
              <Button onClick={() => this.setState({ error: undefined })}>Try again</Button>
              <Link to="/tasks">Back to tasks</Link>
            </Space>
          </>
        }
      />
    );
  }
}
