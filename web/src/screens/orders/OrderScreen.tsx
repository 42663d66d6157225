import { Typography } from 'antd';
import { useParams } from 'react-router';

export function OrderScreen() {
  const { orderId } = useParams();
  return <Typography.Title level={1}>{orderId}</Typography.Title>;
}
