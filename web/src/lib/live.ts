/**
 * Live updates: the API's server-sent events (fed by PostgreSQL LISTEN/NOTIFY). A change refreshes the
 * queue and, if open, that ticket; a reconnection refreshes everything (events may have been missed).
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { queryKeys } from '../api/queries';

export function useLiveUpdates(): boolean {
  const client = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource('/events');
    let timer: number | undefined;
    const changed = new Set<string>();
    const flush = () => {
      timer = undefined;
      void client.invalidateQueries({ queryKey: queryKeys.tickets.all() });
      for (const id of changed) void client.invalidateQueries({ queryKey: queryKeys.ticket.all(id) });
      changed.clear();
    };
    source.addEventListener('ticket', (e) => {
      try {
        changed.add((JSON.parse((e as MessageEvent<string>).data) as { id: string }).id);
      } catch {
        return;
      }
      // Bursts (a bulk action, a mail storm) become one refresh.
      timer ??= window.setTimeout(flush, 250);
    });
    source.onopen = () => {
      setConnected(true);
      void client.invalidateQueries({ queryKey: queryKeys.tickets.all() });
    };
    source.onerror = () => setConnected(false);
    return () => {
      source.close();
      if (timer) window.clearTimeout(timer);
    };
  }, [client]);
  return connected;
}
