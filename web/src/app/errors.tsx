// Every refusal is shown plainly with the API's own message (never a stack). A 401 has already signed the
// user out (the session's client does that); the message still says why.
import { Alert, App } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

import { ApiRequestError } from '../api/client';

/** The sentence to show for an error: the API's `error.message`, or what went wrong on the way. */
function errorText(error: unknown, networkText: string): string {
  if (error instanceof ApiRequestError) return error.code === 'network_error' ? networkText : error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** `showError(error)`: a toast with the API's message. */
export function useShowError(): (error: unknown) => void {
  const { message } = App.useApp();
  const { t } = useTranslation('common');
  return useCallback((error: unknown) => void message.error(errorText(error, t('errors.network'))), [message, t]);
}

/** The API's message in an alert (role="alert"), or nothing when there is no error. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation('common');
  if (error === undefined || error === null) return null;
  return <Alert type="error" showIcon title={errorText(error, t('errors.network'))} />;
}
