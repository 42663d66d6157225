import { useCallback, useState } from 'react';

/**
 * Read-your-writes for a screen's list: `written(position)` after a command reloads the list, read at least at
 * the position the command answered (`minPosition`; a null position, nothing appended, reloads as it was).
 */
export function useWrittenAt(): { readonly minPosition: string | undefined; readonly reload: number; written(position: string | null): void } {
  const [state, setState] = useState<{ minPosition: string | undefined; reload: number }>({ minPosition: undefined, reload: 0 });
  const written = useCallback((position: string | null) => setState((previous) => ({ minPosition: position ?? previous.minPosition, reload: previous.reload + 1 })), []);
  return { ...state, written };
}
