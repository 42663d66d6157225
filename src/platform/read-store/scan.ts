import { type ReadStore, type ScanOptions, type ViewDocument, type ViewTarget } from './read-store.port.js';

const DEFAULT_SCAN_PAGE_SIZE = 500;

/**
 * `scan` on top of `query`: one keyset page per round trip, so memory is bounded by the page size
 * and no cursor or transaction stays open while the consumer (an export) is slow.
 */
export async function* scanByPages<T extends ViewDocument>(
  store: Pick<ReadStore, 'query'>,
  target: ViewTarget,
  options: ScanOptions = {},
): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await store.query<T>(target, {
      filter: options.filter,
      sort: options.sort,
      limit: options.pageSize ?? DEFAULT_SCAN_PAGE_SIZE,
      cursor,
    });
    yield* page.items;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}
