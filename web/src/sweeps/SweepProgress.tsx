import { Progress } from 'antd';
import type { Sweep } from '../api/types';

/** Finished trials of the total, with the succeeded share in the success colour. */
export function SweepProgress({ sweep }: { sweep: Sweep }) {
  const { total, succeeded, unsuccessful } = sweep.progress;
  const finished = succeeded + unsuccessful;
  const percent = total ? Math.round((finished / total) * 100) : 0;
  return (
    <Progress
      percent={percent}
      success={{ percent: total ? Math.round((succeeded / total) * 100) : 0 }}
      size="small"
      format={() => `${finished}/${total}`}
      aria-label={`${finished} of ${total} trials finished`}
    />
  );
}
