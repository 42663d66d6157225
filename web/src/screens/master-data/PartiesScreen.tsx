import { Button, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Page } from '../../api/client';
import type { Role } from '../../api/types';
import { ErrorAlert } from '../../app/errors';
import { hasRole } from '../../app/roles';
import { useSession } from '../../app/session';
import { useWrittenAt } from '../../app/use-written-at';
import { useFormat } from '../../format/use-format';
import { MoreButton, useCursorList } from '../audit/cursor-list';
import { CreditDrawer } from './CreditDrawer';
import { EditPartyDialog, InactiveTag, PartyFields } from './EditDialogs';
import { RegisterDialog } from './RegisterDialog';
import { SearchBar } from './SearchBar';
import { optionalText, type Party } from './types';

interface PartyValues {
  readonly id?: string;
  readonly name: string;
  readonly phone?: string;
  readonly email?: string;
  readonly address?: string;
}

interface RowActions {
  readonly edit?: (party: Party) => void;
  readonly credit?: (party: Party) => void;
}

function useColumns(actions: RowActions): ColumnsType<Party> {
  const { t } = useTranslation('masterData');
  const format = useFormat();
  const { edit, credit } = actions;
  return [
    { key: 'id', dataIndex: 'id', title: t('party.id') },
    {
      key: 'name',
      title: t('party.name'),
      // Personal data are null once erased, and for a role that may not see them (analyst).
      render: (_, party) => (party.erased ? <Tag>{t('party.erased')}</Tag> : party.name ?? <Typography.Text type="secondary">{t('party.hidden')}</Typography.Text>),
    },
    { key: 'phone', title: t('party.phone'), render: (_, party) => party.phone ?? '' },
    { key: 'email', title: t('party.email'), render: (_, party) => party.email ?? '' },
    { key: 'address', title: t('party.address'), render: (_, party) => party.address ?? '' },
    { key: 'registeredAt', title: t('party.registeredAt'), render: (_, party) => format.time(party.registeredAt) },
    { key: 'status', title: t('status.title'), render: (_, party) => <InactiveTag active={party.active} /> },
    ...(edit || credit
      ? [
          {
            key: 'actions',
            title: '',
            render: (_: unknown, party: Party) => (
              <Space size="small">
                {edit && !party.erased && (
                  <Button size="small" aria-label={`${t('edit.action')} ${party.id}`} onClick={() => edit(party)}>
                    {t('edit.action')}
                  </Button>
                )}
                {credit && (
                  <Button size="small" aria-label={`${t('credit.open')} ${party.id}`} onClick={() => credit(party)}>
                    {t('credit.open')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]
      : []),
  ];
}


/** Who may register a party of this kind on this screen (API.md "Access"; admin always may; integrations register but do not read parties). */
const REGISTRARS: Record<'customers' | 'suppliers', readonly Role[]> = {
  customers: ['clerk'],
  suppliers: ['clerk', 'warehouse'],
};

/** Who may change a party of this kind: customer changes — clerk, supplier changes — warehouse. */
const EDITORS: Record<'customers' | 'suppliers', readonly Role[]> = {
  customers: ['clerk'],
  suppliers: ['warehouse'],
};

/** Who reads a customer's store credit: finance, auditors, approvers (who grant it), a clerk for its own orders' customers. */
const CREDIT_READERS: readonly Role[] = ['finance', 'auditor', 'approver', 'clerk'];

/** 客户 / 供应商: the parties of one kind (search by the start of id, name, phone or email), and registering one. */
export function PartiesScreen({ kind }: { kind: 'customers' | 'suppliers' }) {
  const { t } = useTranslation('masterData');
  const { me, api } = useSession();
  const [editing, setEditing] = useState<Party>();
  const [crediting, setCrediting] = useState<Party>();
  const columns = useColumns({
    edit: hasRole(me, ...EDITORS[kind]) ? setEditing : undefined,
    credit: kind === 'customers' && hasRole(me, ...CREDIT_READERS) ? setCrediting : undefined,
  });
  const [q, setQ] = useState<string>();
  const { minPosition, reload, written: readAt } = useWrittenAt();
  const list = useCursorList((cursor, signal) => api.get<Page<Party>>(`/${kind}`, { q, cursor, limit: 50, minPosition }, { signal }), [kind, q, reload, minPosition]);

  const register = async (values: PartyValues) => {
    const party = await api.post<Party>(`/${kind}`, {
      id: optionalText(values.id),
      name: values.name.trim(),
      phone: optionalText(values.phone),
      email: optionalText(values.email),
      address: optionalText(values.address),
    });
    return { id: party.id, position: party.position ?? null };
  };

  return (
    <>
      <Typography.Title level={1}>{t(`common:nav.${kind}`)}</Typography.Title>
      <Space style={{ width: '100%', justifyContent: 'space-between' }} align="start" wrap>
        <SearchBar help={t('searchHelp.parties')} onSearch={setQ} />
        {hasRole(me, ...REGISTRARS[kind]) && (
          <RegisterDialog<PartyValues> name={`register-${kind}`} label={t(`register.${kind}`)} register={register} done={(id) => t(`registered.${kind}`, { id })} onDone={readAt}>
            {() => <PartyFields withId />}
          </RegisterDialog>
        )}
      </Space>
      <ErrorAlert error={list.error} />
      <Table<Party> rowKey="id" columns={columns} dataSource={[...list.items]} loading={list.loading} pagination={false} size="middle" locale={{ emptyText: t(`empty.${kind}`) }} />
      <MoreButton list={list} />
      {editing && (
        <EditPartyDialog
          kind={kind}
          party={editing}
          onClose={() => setEditing(undefined)}
          onDone={(position) => {
            setEditing(undefined);
            readAt(position);
          }}
        />
      )}
      {crediting && <CreditDrawer customer={crediting} onClose={() => setCrediting(undefined)} />}
    </>
  );
}
