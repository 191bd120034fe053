// A button that asks before it acts: for anything that stops, removes or changes what runs.
import { Button, Popconfirm } from 'antd';
import type { ButtonProps } from 'antd';
import type { ReactNode } from 'react';

interface ConfirmButtonProps extends Omit<ButtonProps, 'onClick'> {
  question: ReactNode;
  confirmText: string;
  onConfirm(): void;
}

export function ConfirmButton({ question, confirmText, onConfirm, ...button }: ConfirmButtonProps) {
  return (
    <Popconfirm title={question} okText={confirmText} onConfirm={onConfirm}>
      <Button {...button} />
    </Popconfirm>
  );
}
