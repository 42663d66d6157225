import { type PartyRecord } from '../domain/party/events.js';
import { type Product } from '../domain/product/state.js';
import { type Warehouse } from '../domain/warehouse/state.js';
import { businessEventOf } from './business-events.js';
import { type ProjectedEvent, type ViewDoc } from './projected-event.js';
import { type FoldedView } from './view-spec.js';

/** A product, with lower-cased copies of sku and name for case-insensitive prefix search. */
export interface ProductView extends Product, ViewDoc {
  readonly skuLower: string;
  readonly nameLower: string;
  readonly registeredAt: string | null;
  readonly revision: number;
}

/**
 * A customer or supplier. Its personal fields are as stored: sealed (see src/platform/personal-data), opened
 * only when a response leaves the service; null once erased. No plaintext copy (no lower-cased name) is kept.
 */
export interface PartyView extends Omit<PartyRecord, 'name'>, ViewDoc {
  readonly name: string | null;
  readonly erased: boolean;
  readonly active: boolean;
  readonly registeredAt: string | null;
  readonly revision: number;
}

export const productsView: FoldedView<ProductView> = {
  kind: 'folded',
  name: 'products',
  indexes: [{ fields: [{ field: 'skuLower', direction: 'asc' }] }, { fields: [{ field: 'nameLower', direction: 'asc' }] }],
  documentIds(event) {
    const business = businessEventOf(event);
    return business?.category === 'product' ? [business.event.data.sku] : [];
  },
  apply(doc, event) {
    const business = businessEventOf(event);
    if (business?.category !== 'product') return doc;
    if (doc !== null && event.revision <= doc.revision) return doc;
    if (business.event.type === 'ProductChanged') {
      if (doc === null) return doc;
      const changed = { ...doc, ...business.event.data.changes };
      return { ...changed, position: event.position, revision: event.revision, nameLower: changed.name.toLowerCase() };
    }
    const product = business.event.data;
    return {
      id: product.sku,
      position: event.position,
      revision: event.revision,
      sku: product.sku,
      name: product.name,
      spec: product.spec,
      unit: product.unit,
      price: product.price,
      minStock: product.minStock,
      maxStock: product.maxStock,
      preferredSupplierId: null,
      leadTimeDays: null,
      active: true,
      skuLower: product.sku.toLowerCase(),
      nameLower: product.name.toLowerCase(),
      registeredAt: event.metadata.occurredAt ?? null,
    };
  },
};

function partyView(name: 'customers' | 'suppliers', category: 'customer' | 'supplier'): FoldedView<PartyView> {
  return {
    kind: 'folded',
    name,
    indexes: [],
    documentIds(event) {
      const business = businessEventOf(event);
      return business?.category === category ? [business.event.data.id] : [];
    },
    apply(doc, event) {
      const business = businessEventOf(event);
      if (business?.category !== category) return doc;
      if (doc !== null && event.revision <= doc.revision) return doc;
      const changed = business.event.type;
      if (changed === 'CustomerChanged' || changed === 'SupplierChanged') {
        return doc === null ? doc : { ...doc, ...business.event.data.changes, position: event.position, revision: event.revision };
      }
      if (changed !== 'CustomerErased') return partyOf(business.event.data, event);
      if (doc === null) return doc;
      return { ...doc, position: event.position, revision: event.revision, name: null, phone: null, email: null, address: null, erased: true };
    },
  };
}

function partyOf(party: PartyRecord, event: ProjectedEvent): PartyView {
  return {
    id: party.id,
    position: event.position,
    revision: event.revision,
    name: party.name,
    phone: party.phone,
    email: party.email,
    address: party.address,
    erased: false,
    active: true,
    registeredAt: event.metadata.occurredAt ?? null,
  };
}

export const customersView = partyView('customers', 'customer');
export const suppliersView = partyView('suppliers', 'supplier');

/** A registered warehouse (`main`, known from the start without an event, has no document). */
export interface WarehouseView extends Warehouse, ViewDoc {
  readonly registeredAt: string | null;
}

export const warehousesView: FoldedView<WarehouseView> = {
  kind: 'folded',
  name: 'warehouses',
  indexes: [],
  documentIds(event) {
    const business = businessEventOf(event);
    return business?.category === 'warehouse' ? [business.event.data.warehouseId] : [];
  },
  apply(doc, event) {
    const business = businessEventOf(event);
    if (business?.category !== 'warehouse' || doc !== null) return doc;
    const { warehouseId, name, address } = business.event.data;
    return { id: warehouseId, position: event.position, warehouseId, name, address, registeredAt: event.metadata.occurredAt ?? null };
  },
};
