import { useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, call } from '../api/client';
import type { BlueprintSummary, Page } from '../api/types';
import { Async, Empty } from '../components/states';
import { cents } from '../lib/cost-format';
import { useAsync, useDebounced } from '../lib/use-async';

export function CatalogPage() {
  const [params, setParams] = useSearchParams();
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 250);
  const category = params.get('category') ?? '';
  const tag = params.get('tag') ?? '';

  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };

  // every blueprint once, for the category and tag choices
  const all = useAsync(
    () => call<Page<BlueprintSummary>>(api.GET('/api/v1/blueprints', { params: { query: { limit: 500 } } })),
    [],
  );
  const facets = useMemo(() => {
    const items = all.data?.items ?? [];
    return {
      categories: [...new Set(items.map((b) => b.category).filter((c): c is string => !!c))].sort(),
      tags: [...new Set(items.flatMap((b) => b.tags))].sort(),
    };
  }, [all.data]);

  const list = useAsync(
    () =>
      call<Page<BlueprintSummary>>(
        api.GET('/api/v1/blueprints', {
          params: {
            query: { limit: 500, q: q || undefined, category: category || undefined, tag: tag || undefined },
          },
        }),
      ),
    [q, category, tag],
  );

  return (
    <section>
      <h1>Catalog</h1>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Search</span>
          <input
            type="search"
            placeholder="name, title or description"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
              setFilter('q', e.target.value.trim());
            }}
          />
        </label>
        <label>
          <span>Category</span>
          <select value={category} onChange={(e) => setFilter('category', e.target.value)}>
            <option value="">All categories</option>
            {facets.categories.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          <span>Tag</span>
          <select value={tag} onChange={(e) => setFilter('tag', e.target.value)}>
            <option value="">All tags</option>
            {facets.tags.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
      </form>
      <Async state={list} what="Loading the catalog">
        {(page) =>
          page.items.length === 0 ? (
            <Empty>
              {q || category || tag
                ? 'No blueprint matches these filters.'
                : 'The catalog is empty: push a blueprint with syd blueprint push.'}
            </Empty>
          ) : (
            <ul className="cards" aria-label="Blueprints">
              {page.items.map((b) => (
                <li key={b.name} className="card bp-card">
                  <h2>
                    <Link to={`/catalog/${encodeURIComponent(b.name)}`}>{b.title}</Link>
                  </h2>
                  <p>{b.description || <span className="muted">No description</span>}</p>
                  {b.from && (
                    <p className="from-price" data-testid="from-price">
                      from <strong>{cents(b.from.monthly)}/month</strong>
                    </p>
                  )}
                  <div className="meta">
                    {b.category && <span className="badge">{b.category}</span>}
                    {b.kind === 'Service' && (
                      <span
                        className="badge badge-soft"
                        title="A building block for blueprints, not ordered alone"
                      >
                        service: used in blueprints
                      </span>
                    )}
                    <span className="muted">v{b.latestVersion ?? 'unpublished'}</span>
                  </div>
                  {b.tags.length > 0 && (
                    <div className="tags" aria-label="Tags">
                      {b.tags.map((t) => (
                        <span key={t} className="tag">
                          #{t}
                        </span>
                      ))}
                    </div>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}
