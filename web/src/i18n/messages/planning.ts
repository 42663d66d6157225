import { namespace } from '../types';

export default namespace(
  {
    title: 'Reorder planning',
    intro:
      'Suggestions from recent daily sales, lead times and safety stock. Position = on hand + incoming − reserved; a SKU whose position is at or below its reorder point should be ordered now.',
    warehouseHelp: 'Default: main',
    fields: {
      sku: 'SKU', warehouseId: 'Warehouse', dailyDemand: 'Daily demand', leadTimeDays: 'Lead time (days)', safetyStock: 'Safety stock', reorderPoint: 'Reorder point',
      position: 'Position', suggestedQuantity: 'Suggested quantity', supplierId: 'Supplier', urgency: 'Status', available: 'Available', min: 'Min',
    },
    urgency: { due: 'Reorder now', suggested: 'Order suggested', ok: 'Enough stock' },
    suggestions: { title: 'Reorder suggestions', empty: 'No SKU to plan yet: suggestions need stock or sales.' },
    lowStock: { title: 'Low stock', empty: 'No position is below its minimum.', export: 'low stock' },
  },
  {
    title: '补货计划',
    intro: '根据近期日销量、采购周期和安全库存给出补货建议。库存头寸 = 现存量 + 采购在途 − 预留；头寸不高于订货点的商品应立即补货。',
    warehouseHelp: '默认：main',
    fields: {
      sku: '商品编码', warehouseId: '仓库', dailyDemand: '日均需求', leadTimeDays: '采购周期（天）', safetyStock: '安全库存', reorderPoint: '订货点',
      position: '库存头寸', suggestedQuantity: '建议采购量', supplierId: '供应商', urgency: '状态', available: '可用量', min: '下限',
    },
    urgency: { due: '需立即补货', suggested: '建议补货', ok: '库存充足' },
    suggestions: { title: '补货建议', empty: '暂无可计划的商品：需要有库存或销售记录。' },
    lowStock: { title: '低库存', empty: '没有低于下限的库存。', export: '低库存' },
  },
);
