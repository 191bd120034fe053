// A log followed live, with pause, search and download: a task attempt's or a service
// replica's, whichever stream `follow` opens. Pausing freezes what is shown while lines
// keep arriving underneath.
import { DownloadOutlined, PauseOutlined, CaretRightOutlined } from '@ant-design/icons';
import { Button, Empty, Input, Space, Tag, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { saveBlob } from '../api/download';
import { ProblemAlert } from '../components/ProblemAlert';

const MAX_LINES = 20_000;

/** What a followed stream yields: a line, or how the log ended. */
export type LogItem = { text: string } | { ended: string };

export interface LogViewerProps {
  /** Opens the stream; called again whenever `streamKey` changes. */
  follow: (signal: AbortSignal) => AsyncIterable<LogItem>;
  /** Names the stream followed: a new key starts over with an empty log. */
  streamKey: string;
  fileName: string;
  /** What an ended log with no line says. */
  emptyText: string;
}

function useFollowedLines(follow: LogViewerProps['follow'], streamKey: string) {
  const [lines, setLines] = useState<string[]>([]);
  const [end, setEnd] = useState<string>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const abort = new AbortController();
    const received: string[] = [];
    setLines([]);
    setEnd(undefined);
    setError(undefined);
    (async () => {
      for await (const item of follow(abort.signal)) {
        if ('text' in item) {
          received.push(item.text);
          if (received.length > MAX_LINES) received.splice(0, received.length - MAX_LINES);
          setLines([...received]);
        } else setEnd(item.ended);
      }
    })().catch((failure) => {
      if (!abort.signal.aborted) setError(failure);
    });
    return () => abort.abort();
    // The stream is named by its key: a caller's new closure for the same stream is no
    // reason to reopen it.
  }, [streamKey]);

  return { lines, end, error };
}

export function LogViewer({ follow, streamKey, fileName, emptyText }: LogViewerProps) {
  const { lines, end, error } = useFollowedLines(follow, streamKey);
  const [shown, setShown] = useState<string[]>([]);
  const [paused, setPaused] = useState(false);
  const [search, setSearch] = useState('');
  const bottom = useRef<HTMLDivElement>(null);

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
              fileName,
            )
          }
          disabled={!lines.length}
        >
          Download
        </Button>
        {end ? (
          <Tag data-testid="log-ended">ended: {end}</Tag>
        ) : (
          <Tag data-testid="log-state">{paused ? 'paused' : 'following'}</Tag>
        )}
        {search ? (
          <Typography.Text type="secondary">{visible.length} matching lines</Typography.Text>
        ) : null}
      </Space>
      <ProblemAlert error={error} title="The log stream stopped" />
      {lines.length === 0 && !error ? (
        <Empty description={end ? emptyText : 'Waiting for the first line…'} />
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
