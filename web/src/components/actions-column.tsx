// The last column of a table whose rows can be acted on: small buttons side by side, the
// ones that remove or stop something asking first. Only for those who may act: callers
// leave the column out for viewers.
import { Button, Space } from 'antd';
import type { TableColumnType } from 'antd';
import { ConfirmButton } from './ConfirmButton';

export interface RowAction {
  label: string;
  onClick(): void;
  /** Asked before it acts; the action is then shown as dangerous. */
  confirm?: { question: string; confirmText: string };
  /** Names the row for a screen reader when the label alone would not ("Edit nightly"). */
  ariaLabel?: string;
}

export function actionsColumn<Row>(
  actionsOf: (row: Row) => RowAction[],
  width = 170,
): TableColumnType<Row> {
  return {
    title: 'Actions',
    key: 'actions',
    width,
    render: (_: unknown, row: Row) => (
      <Space size="small">
        {actionsOf(row).map((action) =>
          action.confirm ? (
            <ConfirmButton
              key={action.label}
              size="small"
              danger
              question={action.confirm.question}
              confirmText={action.confirm.confirmText}
              onConfirm={action.onClick}
              aria-label={action.ariaLabel}
            >
              {action.label}
            </ConfirmButton>
          ) : (
            <Button
              key={action.label}
              size="small"
              onClick={action.onClick}
              aria-label={action.ariaLabel}
            >
              {action.label}
            </Button>
          ),
        )}
      </Space>
    ),
  };
}
