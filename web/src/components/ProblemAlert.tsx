// An error as Kiln states it: the problem's title and detail, field errors, and the
// request id to quote when reporting it.
import { Alert, Typography } from 'antd';
import { KilnProblemError } from '@kiln/client';

export function ProblemAlert({ error, title }: { error: unknown; title?: string }) {
  if (!error) return null;
  const problem = error instanceof KilnProblemError ? error.problem : undefined;
  const message = title ?? problem?.title ?? 'Something went wrong';
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      title={message}
      description={
        <>
          <div>
            {problem ? problem.detail || problem.title : String((error as Error)?.message ?? error)}
          </div>
          {problem?.errors?.map((field) => (
            <div key={`${field.field}:${field.message}`}>
              {field.field ? <Typography.Text code>{field.field}</Typography.Text> : null}{' '}
              {field.message}
            </div>
          ))}
          {problem?.requestId ? (
            <Typography.Text type="secondary">
              Request id: <Typography.Text copyable>{problem.requestId}</Typography.Text>
            </Typography.Text>
          ) : null}
        </>
      }
    />
  );
}
