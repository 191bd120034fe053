// The shown attempt's log, followed live (logs/stream) until the task moves on from it.
import { kiln } from '../api/kiln';
import { LogViewer, type LogItem } from '../logs/LogViewer';

async function* attemptLog(taskId: string, attempt: number, signal: AbortSignal) {
  // the attempt shown, by number: a retry starting meanwhile is a new attempt prop
  const followed = { attempt: Math.max(1, attempt), signal };
  for await (const item of kiln.followLogs(taskId, followed)) {
    if ('text' in item) yield { text: item.text } satisfies LogItem;
    else if ('status' in item) yield { ended: item.status } satisfies LogItem;
  }
}

export function TaskLog({ taskId, attempt }: { taskId: string; attempt: number }) {
  return (
    <LogViewer
      follow={(signal) => attemptLog(taskId, attempt, signal)}
      streamKey={`${taskId}/${attempt}`}
      fileName={`${taskId}-attempt-${attempt}.log`}
      emptyText="This attempt wrote no log."
    />
  );
}
