import { useCallback, useEffect, useRef, useState } from 'react';
import type { Page } from '../api/types';

export interface PagedList<T> {
  /** The rows loaded so far, in the API's order; undefined until the first page is in. */
  data: T[] | undefined;
  error: unknown;
  loading: boolean;
  /** Back to the first page. */
  reload: () => void;
  hasMore: boolean;
  loadingMore: boolean;
  moreError: unknown;
  /** The next page, appended; resolves to its rows (none if it failed or a reload overtook it). */
  loadMore: () => Promise<T[]>;
  /** A row the page made or changed: replaced where it is, else added at the end. */
  upsert: (row: T) => void;
}

/** A list read a page at a time with the API's `?cursor=` (its nextCursor). */
export function usePagedList<T extends { id: string }>(
  fetchPage: (cursor?: string) => Promise<Page<T>>,
): PagedList<T> {
  const [rows, setRows] = useState<{ items?: T[]; nextCursor: string | null }>({ nextCursor: null });
  const [first, setFirst] = useState<{ loading: boolean; error?: unknown }>({ loading: true });
  const [more, setMore] = useState<{ loading: boolean; error?: unknown }>({ loading: false });
  const [tick, setTick] = useState(0);
  // answers to an older reload are dropped
  const seq = useRef(0);
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const cursor = useRef<string | null>(null);
  cursor.current = rows.nextCursor;

  useEffect(() => {
    const mine = ++seq.current;
    setFirst({ loading: true });
    setMore({ loading: false });
    fetchRef.current().then(
      (page) => {
        if (mine !== seq.current) return;
        setRows({ items: page.items, nextCursor: page.nextCursor });
        setFirst({ loading: false });
      },
      (error: unknown) => mine === seq.current && setFirst({ loading: false, error }),
    );
  }, [tick]);

  const loadMore = useCallback(async (): Promise<T[]> => {
    const after = cursor.current;
    if (!after) return [];
    const mine = seq.current;
    setMore({ loading: true });
    try {
      const page = await fetchRef.current(after);
      if (mine !== seq.current) return [];
      // a row added here (upsert) comes again in its page: kept once, where the API puts it
      const fresh = new Set(page.items.map((r) => r.id));
      setRows((s) => ({
        items: [...(s.items ?? []).filter((r) => !fresh.has(r.id)), ...page.items],
        nextCursor: page.nextCursor,
      }));
      setMore({ loading: false });
      return page.items;
    } catch (error) {
      if (mine === seq.current) setMore({ loading: false, error });
      return [];
    }
  }, []);

  const upsert = useCallback((row: T) => {
    setRows((s) => {
      if (!s.items) return s;
      const known = s.items.some((r) => r.id === row.id);
      return { ...s, items: known ? s.items.map((r) => (r.id === row.id ? row : r)) : [...s.items, row] };
    });
  }, []);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return {
    data: first.error ? undefined : rows.items,
    error: first.error,
    loading: first.loading,
    reload,
    hasMore: rows.nextCursor !== null,
    loadingMore: more.loading,
    moreError: more.error,
    loadMore,
    upsert,
  };
}
