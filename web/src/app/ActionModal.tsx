// A command in a dialog: its form (Enter submits, Escape closes), the API's refusal shown in the dialog as
// the API worded it, and on success a short confirmation and the caller's onDone (to reload what changed).
import { App, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from './errors';

export interface ActionModalProps<Values, Answer> {
  readonly open: boolean;
  readonly title: string;
  /** The label of the submit button (default: the title). */
  readonly submitLabel?: string;
  readonly danger?: boolean;
  readonly initialValues?: Partial<Values>;
  /** The fields (antd Form.Item), or a sentence for a command without any. */
  readonly children?: ReactNode | ((form: FormInstance<Values>) => ReactNode);
  /** Sends the command; a thrown error (the API's refusal) keeps the dialog open with the message. */
  onSubmit(values: Values): Promise<Answer>;
  onDone(answer: Answer): void;
  onClose(): void;
  /** The confirmation shown after success (default: "Done"). */
  readonly doneText?: string;
}

export function ActionModal<Values extends object, Answer>(props: ActionModalProps<Values, Answer>) {
  const { t } = useTranslation('common');
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const formId = useId();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const close = () => {
    setError(undefined);
    props.onClose();
  };
  const submit = async (values: Values) => {
    setBusy(true);
    setError(undefined);
    try {
      const answer = await props.onSubmit(values);
      void message.success(props.doneText ?? t('done'));
      form.resetFields();
      props.onDone(answer);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={close}
      destroyOnHidden
      okText={props.submitLabel ?? props.title}
      cancelText={t('actions.cancel')}
      okButtonProps={{ htmlType: 'submit', form: formId, loading: busy, danger: props.danger ?? false, autoFocus: !props.children || typeof props.children === 'string' }}
      width={640}
    >
      {/* name: its fields' ids (and so their labels) stay unique beside the page's own forms */}
      <Form<Values> id={formId} name={`action-${formId.replace(/[^\w-]/g, '')}`} form={form} layout="vertical" onFinish={submit} initialValues={props.initialValues} preserve={false}>
        {typeof props.children === 'function' ? props.children(form) : props.children}
        <ErrorAlert error={error} />
      </Form>
    </Modal>
  );
}
