import { namespace } from '../types';

export default namespace(
  {
    title: 'Analytics',
    period: 'Period',
    periodHelp: 'Both days included; empty: everything recorded.',
    timeZone: 'Days and weeks (ISO weeks) are counted in the business time zone {{zone}}.',
    tabs: { cancellations: 'Cancellations', sales: 'Sales' },
    cancellations: {
      byReason: 'Cancellations by reason',
      byInitiator: 'Cancellations by initiator',
      byWeek: 'Cancellations by week',
      bySku: 'Cancellations by SKU',
      refundedByWeek: 'Refunded value by week',
      empty: 'No cancellations in this period.',
    },
    sales: {
      groupBy: 'Group by',
      by: { day: 'Day', week: 'Week', sku: 'SKU', customer: 'Customer' },
      title: { day: 'Sales by day', week: 'Sales by week', sku: 'Sales by SKU', customer: 'Sales by customer' },
      empty: 'No sales in this period.',
    },
    fields: {
      reason: 'Reason', initiator: 'Initiator', week: 'Week', sku: 'SKU', day: 'Day', customer: 'Customer',
      count: 'Cancellations', orders: 'Orders', rate: 'Cancellation rate', refunded: 'Refunded', quantity: 'Quantity', value: 'Sales value', currency: 'Currency',
    },
    initiator: { customer: 'Customer', company: 'Company', supplier: 'Supplier' },
    export: { csv: 'Export {{what}} as CSV', xlsx: 'Export {{what}} as Excel', salesOrders: 'these sales orders', cancelledOrders: 'these cancelled orders' },
  },
  {
    title: '经营分析',
    period: '统计期间',
    periodHelp: '含起止两天；留空则统计全部记录。',
    timeZone: '日期与周（ISO 周）按业务时区 {{zone}} 计算。',
    tabs: { cancellations: '取消分析', sales: '销售分析' },
    cancellations: {
      byReason: '按取消原因',
      byInitiator: '按发起方',
      byWeek: '按周取消',
      bySku: '按商品取消',
      refundedByWeek: '每周退款金额',
      empty: '该期间没有取消的订单。',
    },
    sales: {
      groupBy: '统计维度',
      by: { day: '按日', week: '按周', sku: '按商品', customer: '按客户' },
      title: { day: '每日销售', week: '每周销售', sku: '按商品销售', customer: '按客户销售' },
      empty: '该期间没有销售。',
    },
    fields: {
      reason: '取消原因', initiator: '发起方', week: '周', sku: '商品编码', day: '日期', customer: '客户',
      count: '取消数', orders: '订单数', rate: '取消率', refunded: '退款金额', quantity: '数量', value: '销售额', currency: '币种',
    },
    initiator: { customer: '客户', company: '本公司', supplier: '供应商' },
    export: { csv: '导出{{what}}（CSV）', xlsx: '导出{{what}}（Excel）', salesOrders: '本期销售单', cancelledOrders: '本期已取消订单' },
  },
);
