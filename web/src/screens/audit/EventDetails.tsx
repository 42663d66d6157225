import { Descriptions, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

import type { HistoryEntry } from './types';

/** Who caused an event: the user id with its roles, or "system" for a step nobody called. */
export function ActorCell({ actor }: { actor: HistoryEntry['actor'] }) {
  const { t } = useTranslation('audit');
  if (!actor) return <Typography.Text type="secondary">{t('timeline.system')}</Typography.Text>;
  return (
    <span>
      {actor.id}{' '}
      {actor.roles.map((role) => (
        <Tag key={role}>{t(`common:roles.${role}`, { defaultValue: role })}</Tag>
      ))}
    </span>
  );
}

/** An event's ids (what caused it, which request it belongs to) and its data as stored. */
export function EventDetails({ entry }: { entry: HistoryEntry }) {
  const { t } = useTranslation('audit');
  return (
    <Descriptions
      size="small"
      column={1}
      items={[
        { key: 'stream', label: t('timeline.columns.stream'), children: `${entry.streamId} #${entry.revision}` },
        { key: 'position', label: t('timeline.columns.position'), children: entry.position },
        { key: 'causation', label: t('timeline.causation'), children: <Typography.Text code>{entry.causationId ?? '—'}</Typography.Text> },
        { key: 'correlation', label: t('timeline.correlation'), children: <Typography.Text code>{entry.correlationId ?? '—'}</Typography.Text> },
        { key: 'data', label: t('timeline.data'), children: <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{JSON.stringify(entry.data, null, 2)}</pre> },
      ]}
    />
  );
}
