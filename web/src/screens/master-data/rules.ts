import { useTranslation } from 'react-i18next';

/** The rule of a required text field of the master-data forms: blank is refused, with the field named. */
export function useRequiredRule(): (field: string) => { required: true; whitespace: true; message: string } {
  const { t } = useTranslation('common');
  return (field) => ({ required: true, whitespace: true, message: t('errors.required', { field }) });
}
