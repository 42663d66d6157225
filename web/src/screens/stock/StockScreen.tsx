import { Tabs, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import { hasRole } from '../../app/roles';
import { useSession } from '../../app/session';
import { CountForm } from './CountForm';
import { IssueForm } from './IssueForm';
import { ReceiptForm } from './ReceiptForm';
import { StockLevels } from './StockLevels';
import { ThresholdsForm } from './ThresholdsForm';
import { TransferForm } from './TransferForm';
import { useWarehouses } from './warehouses';

/** 库存: levels for every reader; receipts, issues, transfers, counts and thresholds for warehouse staff (API.md "Access"). */
export function StockScreen() {
  const { t } = useTranslation('stock');
  const { me } = useSession();
  // After a write: reload the levels, waiting for the view to have applied it (minPosition).
  const [written, setWritten] = useState<{ reload: number; position?: string }>({ reload: 0 });
  const onDone = (position: string | null) => setWritten((previous) => ({ reload: previous.reload + 1, position: position ?? previous.position }));
  const writer = hasRole(me, 'warehouse');
  const { warehouses } = useWarehouses();

  const items = [
    { key: 'levels', label: t('tabs.levels'), children: <StockLevels reload={written.reload} minPosition={written.position} /> },
    ...(writer
      ? [
          { key: 'receipt', label: t('tabs.receipt'), children: <ReceiptForm onDone={onDone} warehouses={warehouses} /> },
          { key: 'issue', label: t('tabs.issue'), children: <IssueForm onDone={onDone} warehouses={warehouses} /> },
          { key: 'transfer', label: t('tabs.transfer'), children: <TransferForm onDone={onDone} warehouses={warehouses} /> },
          { key: 'count', label: t('tabs.count'), children: <CountForm onDone={onDone} warehouses={warehouses} /> },
          { key: 'thresholds', label: t('tabs.thresholds'), children: <ThresholdsForm onDone={onDone} warehouses={warehouses} /> },
        ]
      : []),
  ];

  return (
    <>
      <Typography.Title level={1}>{t('title')}</Typography.Title>
      <Tabs items={items} />
    </>
  );
}
