// The current attempt's log, followed live (logs/stream), with pause, search and
// download. Pausing freezes what is shown while lines keep arriving underneath.
import { DownloadOutlined, PauseOutlined, CaretRightOutlined } from '@ant-design/icons';
import { Button, Empty, Input, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { LogEnd } from '@kiln/client';
import { kiln } from '../api/kiln';
import { saveBlob } from '../api/download';
import { ProblemAlert } from '../components/ProblemAlert';

const MAX_LINES = 20_000;

export function LogViewer({ taskId, attempt }: { taskId: string; attempt: number }) {
  const [lines, setLines] = useState<string[]>([]);
  const [shown, setShown] = useState<string[]>([]);
  const [paused, setPaused] = useState(false);
  const [search, setSearch] = useState('');
  const [end, setEnd] = useState<LogEnd>();
  const [error, setError] = useState<unknown>();
  const bottom = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const abort = new AbortController();
    const received: string[] = [];
    setLines([]);
    setEnd(undefined);
    setError(undefined);
    (async () => {
      // the attempt shown, by number: a retry starting meanwhile is a new attempt prop
      const followed = { attempt: Math.max(1, attempt), signal: abort.signal };
      for await (const item of kiln.followLogs(taskId, followed)) {
        if ('text' in item) {
          received.push(item.text);
          if (received.length > MAX_LINES) received.splice(0, received.length - MAX_LINES);
          setLines([...received]);
        } else if ('status' in item) setEnd(item);
      }
    })().catch((failure) => {
      if (!abort.signal.aborted) setError(failure);
    });
    return () => abort.abort();
  }, [taskId, attempt]);

  useEffect(() => {
    if (!paused) setShown(lines);
  }, [lines, paused]);

  useEffect(() => {
    if (!paused && !search) bottom.current?.scrollIntoView({ block: 'nearest' });
  }, [shown, paused, search]);

  const visible = useMemo(() => {
    const needle = search.toLowerCase();
    return shown
      .map((text, number) => ({ text, number }))
      .filter((line) => !needle || line.text.toLowerCase().includes(needle));
  }, [shown, search]);

  return (
    <section aria-label="Log">
      <Space wrap style={{ marginBottom: 8 }}>
        <Button
          icon={paused ? <CaretRightOutlined /> : <PauseOutlined />}
          onClick={() => setPaused(!paused)}
          disabled={!!end}
        >
          {paused ? 'Follow' : 'Pause'}
        </Button>
        <Input.Search
          allowClear
          placeholder="Search the log"
          aria-label="Search the log"
          onChange={(event) => setSearch(event.target.value)}
          style={{ width: 260 }}
        />
        <Button
          icon={<DownloadOutlined />}
          onClick={() =>
            saveBlob(
              new Blob([lines.map((line) => `${line}\n`).join('')], { type: 'text/plain' }),
              `${taskId}-attempt-${attempt}.log`,
            )
          }
          disabled={!lines.length}
        >
          Download
        </Button>
        {end ? (
          <Tag data-testid="log-ended">ended: {end.status}</Tag>
        ) : (
          <Tag>{paused ? 'paused' : 'following'}</Tag>
        )}
        {search ? (
          <Typography.Text type="secondary">{visible.length} matching lines</Typography.Text>
        ) : null}
      </Space>
      <ProblemAlert error={error} title="The log stream stopped" />
      {lines.length === 0 && !error ? (
        <Empty description={end ? 'This attempt wrote no log.' : 'Waiting for the first line…'} />
      ) : (
        <pre
          data-testid="log"
          tabIndex={0}
          aria-label="Log lines"
          style={{
            maxHeight: 480,
            overflow: 'auto',
            fontSize: 12,
            padding: 12,
            borderRadius: 6,
            background: 'rgba(127,127,127,0.12)',
            margin: 0,
          }}
        >
          {visible.map((line) => (
            <div key={line.number}>
              <span
                style={{ userSelect: 'none', opacity: 0.75, display: 'inline-block', width: 56 }}
              >
                {line.number + 1}
              </span>
              {line.text}
            </div>
          ))}
          <div ref={bottom} />
        </pre>
      )}
    </section>
  );
}
