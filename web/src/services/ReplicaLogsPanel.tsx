// The service's replica logs: pick a replica, see its log from the first line and follow
// it live until it stops.
import { Empty, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import type { ServiceDetail } from '../api/types';
import { ReplicaLog } from './ReplicaLog';

export function ReplicaLogsPanel({ service }: { service: ServiceDetail }) {
  const names = service.replicaList.map((replica) => replica.name);
  const [picked, setPicked] = useState<string>();
  // the one picked while it runs, else the first that does (replicas come and go)
  const replica = picked && names.includes(picked) ? picked : names[0];
  if (!replica) return <Empty description="No replica runs, so there is no log to show." />;
  return (
    <>
      <Space style={{ marginBottom: 8 }}>
        <Typography.Text id="replica-pick">Replica</Typography.Text>
        <Select
          aria-labelledby="replica-pick"
          value={replica}
          onChange={setPicked}
          options={names.map((name) => ({ value: name, label: name }))}
          style={{ minWidth: 260 }}
        />
      </Space>
      <ReplicaLog key={replica} service={service.name} replica={replica} />
    </>
  );
}
