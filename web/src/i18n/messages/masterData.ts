import { namespace } from '../types';

export default namespace(
  {
    search: 'Search',
    searchHelp: {
      products: 'Start of the SKU or of the name',
      parties: 'Start of the id, name, phone or email',
    },
    register: { products: 'Register product', customers: 'Register customer', suppliers: 'Register supplier' },
    registered: { products: 'Product {{id}} registered.', customers: 'Customer {{id}} registered.', suppliers: 'Supplier {{id}} registered.' },
    empty: { products: 'No products.', customers: 'No customers.', suppliers: 'No suppliers.' },
    product: { sku: 'SKU', name: 'Name', spec: 'Specification', unit: 'Unit', price: 'Price (CNY)', priceColumn: 'Price', minStock: 'Min stock', maxStock: 'Max stock', registeredAt: 'Registered' },
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
    register: { products: '新增商品', customers: '新增客户', suppliers: '新增供应商' },
    registered: { products: '商品 {{id}} 已登记。', customers: '客户 {{id}} 已登记。', suppliers: '供应商 {{id}} 已登记。' },
    empty: { products: '没有商品。', customers: '没有客户。', suppliers: '没有供应商。' },
    product: { sku: '商品编码', name: '名称', spec: '规格', unit: '单位', price: '售价（元）', priceColumn: '售价', minStock: '库存下限', maxStock: '库存上限', registeredAt: '登记时间' },
    party: {
      id: '编号', idHelp: '可不填：由系统生成', name: '名称', phone: '电话', email: '邮箱', address: '地址', registeredAt: '登记时间',
      erased: '已删除个人信息', hidden: '不可见',
    },
  },
);
