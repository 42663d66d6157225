import { Button, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';

/** The search field of a master-data list: `q` as typed (trimmed), or undefined for the whole list. */
export function SearchBar({ help, onSearch }: { help: string; onSearch: (q: string | undefined) => void }) {
  const { t } = useTranslation('masterData');
  return (
    <Form name="master-data-search" layout="inline" onFinish={({ q }: { q?: string }) => onSearch(q?.trim() || undefined)} style={{ marginBottom: 16 }}>
      <Form.Item name="q" label={t('search')}>
        <Input type="search" allowClear placeholder={help} autoComplete="off" style={{ width: 280 }} />
      </Form.Item>
      <Form.Item>
        <Button htmlType="submit">{t('common:actions.search')}</Button>
      </Form.Item>
    </Form>
  );
}
