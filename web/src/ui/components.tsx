// Small generic pieces every page uses: loading and error states, a pager for the API's
// paged lists, a status badge, a link that routes without reloading.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, type Page } from '../lib/api';
import { t } from '../lib/i18n';
import { onLinkClick } from '../lib/router';

export function Link(props: { to: string; children: ComponentChildren; class?: string; 'aria-current'?: 'page' | undefined }) {
  return (
    <a href={props.to} class={props.class} aria-current={props['aria-current']} onClick={(e) => onLinkClick(e, props.to)}>
      {props.children}
    </a>
  );
}

export function Loading() {
  return (
    <p class="muted" role="status">
      {t('common.loading')}
    </p>
  );
}

export function ErrorBox(props: { error: unknown; onRetry?: () => void }) {
  const detail =
    props.error instanceof ApiError ? props.error.message : props.error instanceof Error ? props.error.message : String(props.error);
  return (
    <div class="error" role="alert">
      {t('common.error', { detail })}
      {props.onRetry && (
        <>
          {' '}
          <button class="secondary" onClick={props.onRetry}>
            {t('common.retry')}
          </button>
        </>
      )}
    </div>
  );
}

/** The state of one request: data, error, loading, and reload(). */
export function useFetch<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(controller.signal).then(
      (data) => !controller.signal.aborted && setState({ data, loading: false }),
      (error) => !controller.signal.aborted && setState({ error, loading: false }),
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  return { ...state, reload: () => setTick((n) => n + 1), setData: (data: T) => setState({ data, loading: false }) };
}

export function Pager<T>(props: { page: Page<T>; onOffset: (offset: number) => void; label?: string }) {
  const { page } = props;
  const from = page.total === 0 ? 0 : page.offset + 1;
  const to = page.offset + page.items.length;
  return (
    <nav class="pager" aria-label={props.label ?? t('common.pageOf', { from, to, total: page.total })}>
      <button class="secondary" disabled={page.offset === 0} onClick={() => props.onOffset(Math.max(0, page.offset - page.limit))}>
        {t('common.previous')}
      </button>
      <span>{t('common.pageOf', { from, to, total: page.total })}</span>
      <button class="secondary" disabled={page.next_offset === null} onClick={() => page.next_offset !== null && props.onOffset(page.next_offset)}>
        {t('common.next')}
      </button>
    </nav>
  );
}

/** A connector or station status as a coloured badge; the text is always there (not colour only). */
export function StatusBadge(props: { status: string; label?: string }) {
  return <span class={`badge ${props.status.toLowerCase()}`}>{props.label ?? props.status}</span>;
}
