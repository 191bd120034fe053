// The one shape of every form in a dialog: the fields, a submit button that shows it is
// busy, the problem Kiln answered (field errors included) under the fields, and on success
// a message, the lists it changed read again, and the dialog closed with its form cleared.
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { App, Form, Modal } from 'antd';
import type { ReactNode } from 'react';
import { ProblemAlert } from './ProblemAlert';

export interface FormModalProps<Values, Result> {
  title: string;
  open: boolean;
  onClose(): void;
  /** The submit button's text: what it does ("Create", "Save"). */
  okText: string;
  /** Sends the form's values to Kiln; a rejection is shown in the dialog. */
  submit(values: Values): Promise<Result>;
  /** Said when it worked. */
  successMessage?(result: Result): string;
  /** What the change makes stale, read again when it worked. */
  invalidates?: QueryKey;
  /** Called with what Kiln answered, before the dialog closes. */
  onSuccess?(result: Result): void;
  /** False to keep the dialog open after success (the caller shows what came back). */
  closeOnSuccess?: boolean;
  /** The title of the problem shown when Kiln refused ("The schedule was not created"). */
  failureTitle: string;
  initialValues?: Partial<Values>;
  /** The form's fields. */
  children: ReactNode;
}

export function FormModal<Values, Result>(props: FormModalProps<Values, Result>) {
  const [form] = Form.useForm<Values>();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const sent = useMutation({
    mutationFn: props.submit,
    onSuccess: (result) => {
      if (props.successMessage) message.success(props.successMessage(result));
      if (props.invalidates) void queryClient.invalidateQueries({ queryKey: props.invalidates });
      props.onSuccess?.(result);
      form.resetFields();
      if (props.closeOnSuccess !== false) props.onClose();
    },
  });
  const close = () => {
    sent.reset();
    props.onClose();
  };
  return (
    <Modal
      title={props.title}
      open={props.open}
      onCancel={close}
      okText={props.okText}
      confirmLoading={sent.isPending}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={props.initialValues}
        onFinish={(values) => sent.mutate(values)}
      >
        {props.children}
        <ProblemAlert error={sent.error} title={props.failureTitle} />
      </Form>
    </Modal>
  );
}
