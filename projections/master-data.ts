import { type PartyRecord } from '../domain/party/events.js';
import { type Product } from '../domain/product/state.js';
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
    if (business?.category !== 'product' || business.event.type !== 'ProductRegistered') return doc;
    if (doc !== null && event.revision <= doc.revision) return doc;
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
      if (business.event.type !== 'CustomerErased') return partyOf(business.event.data, event);
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
    registeredAt: event.metadata.occurredAt ?? null,
  };
}

export const customersView = partyView('customers', 'customer');
export const suppliersView = partyView('suppliers', 'supplier');
