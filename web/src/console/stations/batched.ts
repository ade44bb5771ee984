// The live stream, delivered in batches: a busy network sends hundreds of events a second, and
// a page re-renders once per batch (every `ms`) instead of once per event.
import { useEffect, useRef } from 'preact/hooks';
import { events, type LiveEvent } from '../../lib/api';

export type StreamState = 'open' | 'reconnecting' | 'closed';

export function useBatchedEvents(onBatch: (batch: LiveEvent[]) => void, options: { station?: string; ms?: number; onState?: (s: StreamState) => void } = {}, deps: unknown[] = []) {
  const handler = useRef(onBatch);
  handler.current = onBatch;
  useEffect(() => {
    let queue: LiveEvent[] = [];
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = () => {
      timer = null;
      const batch = queue;
      queue = [];
      if (batch.length) handler.current(batch);
    };
    const stop = events({
      station: options.station,
      onState: options.onState,
      onEvent: (e) => {
        queue.push(e);
        timer ??= setTimeout(flush, options.ms ?? 250);
      },
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}
