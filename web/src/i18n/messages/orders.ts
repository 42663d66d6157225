import { namespace } from '../types';

export default namespace(
  {
    title: 'Orders',
    filters: { number: 'Order number', quickSearch: 'Search by order number', kind: 'Kind', status: 'Status', partyId: 'Customer or supplier', cancellation: 'Cancellation', onHold: 'On hold', from: 'Placed from', to: 'Placed before', any: 'Any' },
    columns: { number: 'Number', kind: 'Kind', status: 'Status', party: 'Customer / supplier', total: 'Total', paid: 'Paid', placedAt: 'Placed', owner: 'Placed by', cancellation: 'Cancellation' },
    kind: { sale: 'Sales order', purchase: 'Purchase order' },
    status: {
      placed: 'Placed', processing: 'Processing', partially_shipped: 'Partly shipped', shipped: 'Shipped', delivered: 'Delivered', rejected: 'Rejected', returning: 'Returning',
      partially_received: 'Partly received', received: 'Received', closed: 'Closed', cancelled: 'Cancelled',
    },
    cancellationState: { requested: 'Requested', approved: 'Approved', rejected: 'Rejected', withdrawn: 'Withdrawn', none: 'None' },
    onHold: 'On hold',
    empty: 'No orders match.',
    notFound: 'No such order, or not one you may see.',
  },
  {
    title: '订单',
    filters: { number: '单号', quickSearch: '按单号搜索', kind: '类型', status: '状态', partyId: '客户或供应商', cancellation: '取消申请', onHold: '暂停', from: '下单起始', to: '下单截止', any: '全部' },
    columns: { number: '单号', kind: '类型', status: '状态', party: '客户 / 供应商', total: '金额', paid: '已付', placedAt: '下单时间', owner: '制单人', cancellation: '取消申请' },
    kind: { sale: '销售单', purchase: '采购单' },
    status: {
      placed: '已下单', processing: '处理中', partially_shipped: '部分发货', shipped: '已发货', delivered: '已签收', rejected: '已拒绝', returning: '退货中',
      partially_received: '部分收货', received: '已收货', closed: '已关闭', cancelled: '已取消',
    },
    cancellationState: { requested: '待审批', approved: '已批准', rejected: '已驳回', withdrawn: '已撤回', none: '无' },
    onHold: '已暂停',
    empty: '没有符合条件的订单。',
    notFound: '订单不存在，或您无权查看。',
  },
);
