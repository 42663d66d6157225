// Every message namespace of the console: one file per screen under messages/ (English and Chinese side
// by side, the same keys checked at compile time). A screen adds its namespace here.
import analytics from './messages/analytics';
import approvals from './messages/approvals';
import audit from './messages/audit';
import common from './messages/common';
import keys from './messages/keys';
import masterData from './messages/masterData';
import orders from './messages/orders';
import planning from './messages/planning';
import stock from './messages/stock';

export const namespaces = { common, orders, approvals, stock, audit, masterData, keys, analytics, planning };
