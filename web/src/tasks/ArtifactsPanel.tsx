import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { App, Button, Table, Typography } from 'antd';
import { downloadFromApi } from '../api/download';
import type { Task } from '../api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { fetchArtifacts, taskKeys } from './task-queries';

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

export function ArtifactsPanel({ task }: { task: Task }) {
  const { message } = App.useApp();
  const listing = useQuery({
    queryKey: taskKeys.artifacts(task.id),
    queryFn: () => fetchArtifacts(task.id),
  });
  const download = (path: string) =>
    downloadFromApi(
      `/api/v1/tasks/${task.id}/artifacts/${path.split('/').map(encodeURIComponent).join('/')}`,
      path.split('/').pop()!,
    ).catch((error: Error) => message.error(error.message));
  if (listing.error)
    return <ProblemAlert error={listing.error} title="The artifacts could not be listed" />;
  return (
    <>
      {listing.data?.truncated ? (
        <Typography.Paragraph type="warning">Only the first files are listed.</Typography.Paragraph>
      ) : null}
      <Table
        rowKey="path"
        size="small"
        loading={listing.isPending}
        dataSource={listing.data?.entries ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{
          emptyText: 'No artifacts. A run writes them to the directory in KILN_OUTPUT_DIR.',
        }}
        columns={[
          { title: 'Path', dataIndex: 'path' },
          { title: 'Size', dataIndex: 'sizeBytes', width: 120, align: 'right', render: formatSize },
          {
            title: 'Modified',
            dataIndex: 'modifiedAt',
            width: 200,
            render: (value: string) => new Date(value).toLocaleString(),
          },
          {
            title: 'Download',
            key: 'download',
            width: 120,
            render: (_, entry) => (
              <Button
                size="small"
                icon={<DownloadOutlined />}
                onClick={() => void download(entry.path)}
                aria-label={`Download ${entry.path}`}
              >
                Download
              </Button>
            ),
          },
        ]}
      />
    </>
  );
}
