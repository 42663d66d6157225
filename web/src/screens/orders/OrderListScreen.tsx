import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function OrderListScreen() {
  const { t } = useTranslation('orders');
  return <Typography.Title level={1}>{t('title')}</Typography.Title>;
}
