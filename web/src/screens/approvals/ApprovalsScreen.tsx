import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function ApprovalsScreen() {
  const { t } = useTranslation('approvals');
  return <Typography.Title level={1}>{t('title')}</Typography.Title>;
}
