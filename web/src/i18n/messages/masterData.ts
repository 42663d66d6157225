import { namespace } from '../types';

export default namespace(
  {
    search: 'Search',
    searchHelp: {
      products: 'Start of the SKU or of the name',
      parties: 'Start of the id, name, phone or email',
    },
    register: { products: 'Register product', customers: 'Register customer', suppliers: 'Register supplier', warehouses: 'Register warehouse' },
    registered: { products: 'Product {{id}} registered.', customers: 'Customer {{id}} registered.', suppliers: 'Supplier {{id}} registered.', warehouses: 'Warehouse {{id}} registered.' },
    edit: { action: 'Edit', products: 'Edit product {{id}}', customers: 'Edit customer {{id}}', suppliers: 'Edit supplier {{id}}', save: 'Save changes', saved: '{{id}} saved.', nothing: 'Nothing changed.' },
    status: { title: 'Status', active: 'Active', inactive: 'Inactive', activeField: 'Active (takes new orders)' },
    history: {
      open: 'History', title: 'History of {{sku}}', at: 'When', what: 'What', details: 'Changed to', by: 'By',
      types: { ProductRegistered: 'Registered', ProductChanged: 'Changed' },
      fields: { name: 'Name', spec: 'Specification', unit: 'Unit', price: 'Price', minStock: 'Min stock', maxStock: 'Max stock', preferredSupplierId: 'Preferred supplier', leadTimeDays: 'Lead time (days)', active: 'Status' },
    },
    credit: {
      open: 'Store credit', title: 'Store credit of {{name}}', balance: 'Balance', entries: 'Credit entries', none: 'No store credit yet.',
      at: 'When', kind: 'Entry', kinds: { grant: 'Granted', spend: 'Spent', expiry: 'Expired' }, amountColumn: 'Amount', balanceAfter: 'Balance after',
      reason: 'Reason', order: 'Order', orderId: 'Order (optional)', expiresAt: 'Valid until (optional)', validUntil: 'Valid until',
      grant: 'Grant store credit (goodwill)', grantSubmit: 'Grant credit', amount: 'Amount ({{currency}})', granted: 'Granted {{amount}} of store credit.',
    },
    warehouse: { id: 'Warehouse id', idHelp: '1 to 32 letters, digits or _', name: 'Name', address: 'Address', registeredAt: 'Registered', fromStart: 'From the start' },
    empty: { products: 'No products.', customers: 'No customers.', suppliers: 'No suppliers.' },
    product: {
      sku: 'SKU', name: 'Name', spec: 'Specification', unit: 'Unit', price: 'Price (CNY)', priceColumn: 'Price', minStock: 'Min stock', maxStock: 'Max stock', registeredAt: 'Registered',
      preferredSupplierId: 'Preferred supplier', leadTimeDays: 'Lead time (days)', priceNote: 'Placed orders keep their prices; a new price applies to new orders.',
    },
    party: {
      id: 'Id', idHelp: 'Optional: chosen by the service when left empty', name: 'Name', phone: 'Phone', email: 'Email', address: 'Address', registeredAt: 'Registered',
      erased: 'Erased', hidden: 'Hidden',
    },
  },
  {
    search: '查询',
    searchHelp: {
      products: '商品编码或名称的开头',
      parties: '编号、名称、电话或邮箱的开头',
    },
    register: { products: '新增商品', customers: '新增客户', suppliers: '新增供应商', warehouses: '新增仓库' },
    registered: { products: '商品 {{id}} 已登记。', customers: '客户 {{id}} 已登记。', suppliers: '供应商 {{id}} 已登记。', warehouses: '仓库 {{id}} 已登记。' },
    edit: { action: '修改', products: '修改商品 {{id}}', customers: '修改客户 {{id}}', suppliers: '修改供应商 {{id}}', save: '保存修改', saved: '{{id}} 已保存。', nothing: '没有修改。' },
    status: { title: '状态', active: '启用', inactive: '停用', activeField: '启用（可下新单）' },
    history: {
      open: '变更记录', title: '{{sku}} 的变更记录', at: '时间', what: '类型', details: '变更为', by: '操作人',
      types: { ProductRegistered: '登记', ProductChanged: '修改' },
      fields: { name: '名称', spec: '规格', unit: '单位', price: '售价', minStock: '库存下限', maxStock: '库存上限', preferredSupplierId: '首选供应商', leadTimeDays: '采购提前期（天）', active: '状态' },
    },
    credit: {
      open: '储值余额', title: '{{name}} 的储值余额', balance: '余额', entries: '储值明细', none: '暂无储值。',
      at: '时间', kind: '类型', kinds: { grant: '发放', spend: '消费', expiry: '过期' }, amountColumn: '金额', balanceAfter: '变动后余额',
      reason: '原因', order: '关联订单', orderId: '关联订单（可选）', expiresAt: '有效期至（可选）', validUntil: '有效期至',
      grant: '发放储值（补偿）', grantSubmit: '确认发放', amount: '金额（{{currency}}）', granted: '已发放储值 {{amount}}。',
    },
    warehouse: { id: '仓库编码', idHelp: '1 到 32 位字母、数字或 _', name: '名称', address: '地址', registeredAt: '登记时间', fromStart: '系统初始仓库' },
    empty: { products: '没有商品。', customers: '没有客户。', suppliers: '没有供应商。' },
    product: {
      sku: '商品编码', name: '名称', spec: '规格', unit: '单位', price: '售价（元）', priceColumn: '售价', minStock: '库存下限', maxStock: '库存上限', registeredAt: '登记时间',
      preferredSupplierId: '首选供应商', leadTimeDays: '采购提前期（天）', priceNote: '已下订单保持原价；新价格只用于新订单。',
    },
    party: {
      id: '编号', idHelp: '可不填：由系统生成', name: '名称', phone: '电话', email: '邮箱', address: '地址', registeredAt: '登记时间',
      erased: '已删除个人信息', hidden: '不可见',
    },
  },
);
