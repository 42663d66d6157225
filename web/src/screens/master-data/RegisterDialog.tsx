import { App, Button, Form, type FormInstance, Modal } from 'antd';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

import { ErrorAlert } from '../../app/errors';

/** What a registration answers: the id registered and the position of its event. */
export interface Registered {
  readonly id: string;
  readonly position: string | null;
}

interface RegisterDialogProps<T> {
  /** The form's name: its fields' ids start with it (unique on the page, so each label names its own field). */
  readonly name: string;
  /** The button that opens it, and the dialog's title. */
  readonly label: string;
  /** Sends the registration; answers the id to name in the confirmation and the log position of the registration. */
  readonly register: (values: T) => Promise<Registered>;
  readonly done: (id: string) => string;
  /** After the registration: `position` to read the list at (read-your-writes), null when nothing was appended. */
  readonly onDone: (position: string | null) => void;
  readonly children: (form: FormInstance<T>) => ReactNode;
}

/** A "Register …" button and its dialog: the form submits on Enter, Escape closes it, the API's refusal is shown inside. */
export function RegisterDialog<T extends object>({ name, label, register, done, onDone, children }: RegisterDialogProps<T>) {
  const { t } = useTranslation('common');
  const { message } = App.useApp();
  const [form] = Form.useForm<T>();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const close = () => {
    setOpen(false);
    setError(undefined);
    form.resetFields();
  };
  const submit = async (values: T) => {
    setBusy(true);
    setError(undefined);
    try {
      const { id, position } = await register(values);
      void message.success(done(id));
      close();
      onDone(position);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)}>
        {label}
      </Button>
      <Modal title={label} open={open} onCancel={close} onOk={() => form.submit()} okText={label} cancelText={t('actions.cancel')} confirmLoading={busy} destroyOnHidden>
        <Form<T> name={name} form={form} layout="vertical" onFinish={submit}>
          {children(form)}
          <ErrorAlert error={error} />
          {/* Enter in any field submits (a form needs a submit button for that); the dialog's own buttons stay the visible ones. */}
          <Button htmlType="submit" hidden aria-hidden tabIndex={-1} />
        </Form>
      </Modal>
    </>
  );
}
