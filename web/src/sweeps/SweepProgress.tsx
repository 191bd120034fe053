import { Progress } from 'antd';
import type { Sweep } from '../api/types';

/**
 * Finished trials of the total, the succeeded share in the success colour. The count is
 * plain text beside the bar: Ant Design would colour it green once complete, which falls
 * short of WCAG contrast.
 */
export function SweepProgress({ sweep }: { sweep: Sweep }) {
  const { total, succeeded, unsuccessful } = sweep.progress;
  const finished = succeeded + unsuccessful;
  const share = (count: number) => (total ? Math.round((count / total) * 100) : 0);
  return (
    <span style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
      <Progress
        percent={share(finished)}
        success={{ percent: share(succeeded) }}
        size="small"
        showInfo={false}
        style={{ flex: 1, margin: 0 }}
        aria-label={`${finished} of ${total} trials finished`}
      />
      <span style={{ whiteSpace: 'nowrap' }}>
        {finished}/{total}
      </span>
    </span>
  );
}
