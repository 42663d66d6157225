// An export route's file (API.md "exports": CSV or XLSX, streamed) saved by the browser: fetched with the
// user's key (a plain link would carry none), then handed to the browser as a download from memory.
import { Button, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Query } from '../../api/client';
import { useShowError } from '../../app/errors';
import { useApi } from '../../app/session';

const FORMATS = ['csv', 'xlsx'] as const;
type Format = (typeof FORMATS)[number];

/** Saves `blob` as `fileName` through a temporary link (the browser's download, nothing leaves the page). */
function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** "Export … as CSV" and "… as Excel" for one export route with these filters; a refusal shows the API's message. */
export function ExportButtons({ path, query, label, fallbackName }: { path: string; query: Query; label: string; fallbackName: string }) {
  const { t } = useTranslation('analytics');
  const api = useApi();
  const showError = useShowError();
  const [busy, setBusy] = useState<Format>();

  const download = async (format: Format) => {
    setBusy(format);
    try {
      const file = await api.download(path, { ...query, format });
      save(file.blob, file.fileName ?? `${fallbackName}.${format}`);
    } catch (error) {
      showError(error);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Space wrap>
      {FORMATS.map((format) => (
        <Button key={format} loading={busy === format} disabled={busy !== undefined && busy !== format} onClick={() => void download(format)}>
          {t(`export.${format}`, { what: label })}
        </Button>
      ))}
    </Space>
  );
}
