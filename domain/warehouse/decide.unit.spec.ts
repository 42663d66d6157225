import { describe, it } from '@jest/globals';
import { asUser, deciderSpec } from '../../test/support/decider-spec.js';
import { type WarehouseEvent } from './events.js';
import { warehouseDecider } from './index.js';

const { given } = deciderSpec(warehouseDecider, asUser('wes', 'warehouse'));
const registered: WarehouseEvent = { type: 'WarehouseRegistered', data: { warehouseId: 'SH_1', name: 'Shanghai Pudong', address: null } };

describe('warehouse', () => {
  it('registers a warehouse, its name trimmed and a blank address absent', () =>
    given().when({ type: 'RegisterWarehouse', warehouseId: 'SH_1', name: ' Shanghai Pudong ', address: ' ' }).then(registered));

  it('registering the same warehouse again emits nothing', () =>
    given(registered).when({ type: 'RegisterWarehouse', warehouseId: 'SH_1', name: 'Shanghai Pudong' }).thenNothing());

  it('refuses a different warehouse under a known id', () =>
    given(registered).when({ type: 'RegisterWarehouse', warehouseId: 'SH_1', name: 'Hangzhou' }).thenFails('already_exists'));

  it('never registers main: it exists from the start', () =>
    given().when({ type: 'RegisterWarehouse', warehouseId: 'main', name: 'Main' }).thenFails('already_exists'));

  it('refuses an id with a dash (it would make stock stream names ambiguous), naming the field', () =>
    given().when({ type: 'RegisterWarehouse', warehouseId: 'sh-1', name: 'Shanghai' }).thenFails('validation_failed', { fields: [{ field: 'id', problems: ['must be 1 to 32 letters, digits or _'] }] }));

  it('refuses a warehouse without a name', () =>
    given().when({ type: 'RegisterWarehouse', warehouseId: 'SH_2', name: ' ' }).thenFails('validation_failed', { fields: [{ field: 'name', problems: ['is required'] }] }));
});
