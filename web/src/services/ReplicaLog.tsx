// One replica's log, from its first line and followed live until the replica stops.
import { kiln } from '../api/kiln';
import { LogViewer, type LogItem } from '../logs/LogViewer';

async function* replicaLog(service: string, replica: string, signal: AbortSignal) {
  for await (const item of kiln.followReplicaLogs(service, replica, { signal })) {
    if ('text' in item) yield { text: item.text } satisfies LogItem;
    else yield { ended: 'replica stopped' } satisfies LogItem;
  }
}

export function ReplicaLog({ service, replica }: { service: string; replica: string }) {
  return (
    <LogViewer
      follow={(signal) => replicaLog(service, replica, signal)}
      streamKey={`${service}/${replica}`}
      fileName={`${service}-${replica}.log`}
      emptyText="This replica wrote no log."
    />
  );
}
