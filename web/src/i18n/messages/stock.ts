import { namespace } from '../types';

export default namespace(
  {
    title: 'Stock',
    tabs: { levels: 'Stock levels', receipt: 'Receipt', count: 'Stock count', thresholds: 'Thresholds' },
    fields: {
      sku: 'SKU', warehouse: 'Warehouse', onHand: 'On hand', available: 'Available', reserved: 'Reserved', incoming: 'Incoming', min: 'Min', max: 'Max',
      alert: 'Alert', quantity: 'Quantity', note: 'Note', counted: 'Counted quantity', reason: 'Reason',
    },
    filters: { alert: 'Show', allSkus: 'All SKUs', all: 'All positions', onlyLow: 'Low stock only', onlyHigh: 'Overstock only' },
    alert: { low: 'Low', high: 'Overstock', none: 'In range' },
    empty: 'No stock positions.',
    warehouseHelp: 'Default: main',
    receipt: { submit: 'Record receipt', done: 'Received {{quantity}} × {{sku}} in {{warehouse}}: {{onHand}} on hand now.' },
    count: {
      preview: 'Variance preview',
      hint: 'Enter the SKU and the counted quantity to see the variance before you record it.',
      onHandNow: 'On hand now',
      variance: 'Variance',
      noPosition: 'No stock of this SKU in this warehouse yet: on hand counts as 0.',
      submit: 'Record count',
      done: 'Count of {{sku}} recorded: variance {{variance}}, {{onHand}} on hand now.',
    },
    thresholds: { help: 'Leave empty to clear the threshold.', current: 'Now: {{value}}. Leave empty to clear it.', submit: 'Save thresholds', done: 'Thresholds of {{sku}} in {{warehouse}} saved.' },
  },
  {
    title: '库存',
    tabs: { levels: '库存查询', receipt: '入库', count: '盘点', thresholds: '库存上下限' },
    fields: {
      sku: '商品编码', warehouse: '仓库', onHand: '现存量', available: '可用量', reserved: '预留', incoming: '采购在途', min: '下限', max: '上限',
      alert: '预警', quantity: '数量', note: '备注', counted: '实盘数量', reason: '原因',
    },
    filters: { alert: '显示', allSkus: '全部商品', all: '全部库存', onlyLow: '仅低库存', onlyHigh: '仅超储' },
    alert: { low: '低库存', high: '超储', none: '正常' },
    empty: '没有库存记录。',
    warehouseHelp: '默认：main',
    receipt: { submit: '确认入库', done: '{{sku}} 已入库 {{quantity}}（{{warehouse}}），现存量 {{onHand}}。' },
    count: {
      preview: '盘点差异预览',
      hint: '填写商品编码和实盘数量，提交前即可看到盘盈盘亏。',
      onHandNow: '账面现存量',
      variance: '差异',
      noPosition: '该仓库暂无此商品库存：账面数量按 0 计。',
      submit: '确认盘点',
      done: '{{sku}} 盘点已记录：差异 {{variance}}，现存量 {{onHand}}。',
    },
    thresholds: { help: '留空即清除该限值。', current: '当前：{{value}}。留空即清除。', submit: '保存上下限', done: '{{sku}}（{{warehouse}}）的库存上下限已保存。' },
  },
);
