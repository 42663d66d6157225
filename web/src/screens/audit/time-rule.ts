import type { FormRule } from 'antd';
import { useTranslation } from 'react-i18next';

import { parseTypedTime } from './types';

/** A form rule: an empty field passes, anything else must be a time `parseTypedTime` understands. */
export function useTimeRule(): FormRule {
  const { t } = useTranslation('audit');
  return {
    validator: async (_rule, value: string | undefined) => {
      if (value?.trim() && parseTypedTime(value) === undefined) throw new Error(t('asOf.invalid'));
    },
  };
}
