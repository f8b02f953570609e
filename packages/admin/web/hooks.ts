import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from './api.js';

/**
 * Loads `load()` on mount, whenever `key` changes and on `reload()`; keeps the last error as
 * a readable message.
 */
export function useLoad<T>(load: () => Promise<T>, key = '') {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const latest = useRef(load);
  latest.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` names what `load` reads
  const reload = useCallback(() => {
    latest.current().then(
      (value) => {
        setData(value);
        setError(undefined);
      },
      (err: unknown) => setError(messageOf(err)),
    );
  }, [key]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}

/** Runs a change, then `after()`; the error (if any) as a message for the form. */
export function useAction(after: () => void) {
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await action();
      setError(undefined);
      after();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };
  return { error, busy, run };
}
