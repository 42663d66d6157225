// A list the API pages with cursors (API.md "Lists answer `{items, nextCursor?}`"): the first page when the
// filters change, and "Load more" appending the next page while the API gives a `nextCursor`.
import { Button } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

import type { Page } from '../../api/client';

export interface CursorList<T> {
  readonly items: readonly T[];
  readonly loading: boolean;
  readonly error: unknown;
  /** Loads the next page and appends it; undefined on the last page or while loading. */
  readonly more: (() => void) | undefined;
}

interface Loaded<T> {
  readonly key: string;
  readonly items: readonly T[];
  readonly nextCursor: string | null;
  readonly loading: boolean;
  readonly error?: unknown;
}

/**
 * `load(cursor)` for the first page whenever `deps` (plain values: filters, a reload counter) change, and
 * for the next page on `more()`. An answer to a request that was replaced is dropped.
 */
export function useCursorList<T>(load: (cursor: string | undefined, signal: AbortSignal) => Promise<Page<T>>, deps: readonly unknown[]): CursorList<T> {
  const key = JSON.stringify(deps);
  const [wanted, setWanted] = useState<{ key: string; cursor?: string }>({ key });
  const cursor = wanted.key === key ? wanted.cursor : undefined;
  const [state, setState] = useState<Loaded<T>>({ key, items: [], nextCursor: null, loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((previous) => ({ ...previous, loading: true, error: undefined }));
    loadRef.current(cursor, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({
          key,
          items: cursor !== undefined && previous.key === key ? [...previous.items, ...page.items] : page.items,
          nextCursor: page.nextCursor ?? null,
          loading: false,
        }));
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...previous, loading: false, error }));
      },
    );
    return () => controller.abort();
  }, [key, cursor]);

  const current = state.key === key;
  const next = current && !state.loading ? state.nextCursor : null;
  return {
    items: current ? state.items : [],
    loading: state.loading,
    error: state.error,
    more: next ? () => setWanted({ key, cursor: next }) : undefined,
  };
}

/** "Load more" under a list, while there is a next page. */
export function MoreButton({ list }: { list: CursorList<unknown> }) {
  const { t } = useTranslation('common');
  if (!list.more) return null;
  return (
    <Button onClick={list.more} style={{ marginTop: 12 }}>
      {t('actions.more')}
    </Button>
  );
}
