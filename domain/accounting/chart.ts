/**
 * The chart of accounts of the journal (docs/journal.md): codes of the Chinese enterprise chart (企业会计准则),
 * so that users of 金蝶 and 用友 find the accounts they know. Pure data; the posting rules are in postings.ts.
 */
export interface Account {
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
  /** Which side a balance normally sits on: assets and expenses debit, liabilities, equity and income credit. */
  readonly normal: 'debit' | 'credit';
}

export const CHART_OF_ACCOUNTS = [
  { code: '1001', name: 'Cash on hand', nameZh: '库存现金', normal: 'debit' },
  { code: '1002', name: 'Bank deposits', nameZh: '银行存款', normal: 'debit' },
  { code: '1012', name: 'Other monetary funds (Alipay, WeChat Pay)', nameZh: '其他货币资金', normal: 'debit' },
  { code: '1122', name: 'Accounts receivable', nameZh: '应收账款', normal: 'debit' },
  { code: '1123', name: 'Prepayments to suppliers', nameZh: '预付账款', normal: 'debit' },
  { code: '1402', name: 'Goods in transit', nameZh: '在途物资', normal: 'debit' },
  { code: '1405', name: 'Inventory', nameZh: '库存商品', normal: 'debit' },
  { code: '2202', name: 'Accounts payable', nameZh: '应付账款', normal: 'credit' },
  { code: '2203', name: 'Advances from customers', nameZh: '预收账款', normal: 'credit' },
  { code: '2241', name: 'Other payables (store credit)', nameZh: '其他应付款', normal: 'credit' },
  { code: '4001', name: 'Paid-in capital (opening and manual stock)', nameZh: '实收资本', normal: 'credit' },
  { code: '6001', name: 'Revenue from main operations', nameZh: '主营业务收入', normal: 'credit' },
  { code: '6301', name: 'Non-operating income', nameZh: '营业外收入', normal: 'credit' },
  { code: '6401', name: 'Cost of main operations', nameZh: '主营业务成本', normal: 'debit' },
  { code: '6601', name: 'Selling expenses', nameZh: '销售费用', normal: 'debit' },
  { code: '6602', name: 'Administrative expenses', nameZh: '管理费用', normal: 'debit' },
  { code: '6711', name: 'Non-operating expenses', nameZh: '营业外支出', normal: 'debit' },
] as const satisfies readonly Account[];

export type AccountCode = (typeof CHART_OF_ACCOUNTS)[number]['code'];

const BY_CODE = new Map<string, Account>(CHART_OF_ACCOUNTS.map((account) => [account.code, account]));

/** The account of a code the chart has; undefined otherwise. */
export function accountOf(code: string): Account | undefined {
  return BY_CODE.get(code);
}
