import { useState } from 'react';
import { useDataProvider, useNotify, useRefresh } from 'react-admin';
import type { AccessDeskDataProvider } from '../dataProvider';
import { errorMessage } from './http-errors';

/** Runs one command against the API: busy while it runs, says how it went, refreshes the page. */
export function useCommand() {
  const dataProvider = useDataProvider<AccessDeskDataProvider>();
  const notify = useNotify();
  const refresh = useRefresh();
  const [busy, setBusy] = useState(false);
  const run = async (command: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await command();
      notify(done, { type: 'info' });
      return true;
    } catch (error) {
      notify(errorMessage(error), { type: 'warning' });
      return false;
    } finally {
      setBusy(false);
      refresh();
    }
  };
  return { dataProvider, run, busy };
}
