import { Link } from 'react-router';
import { api, call } from '../api/client';
import type { BlueprintDocument, BlueprintSummary, Page } from '../api/types';
import { loadDocument } from '../lib/blueprint-api';
import { tiersUsing, usageSnippet, type UsingTier } from '../lib/service-usage';
import { useAsync } from '../lib/use-async';
import { Async, Empty } from './states';

type User = { blueprint: BlueprintSummary; tiers: UsingTier[] };

/** For a Service: what it is, which blueprints use it, and how to use it in one. It is never ordered alone. */
export function ServiceUsage({ doc }: { doc: BlueprintDocument }) {
  const name = doc.metadata.name;
  const users = useAsync(() => blueprintsUsing(name), [name]);
  return (
    <section className="service-usage" aria-label="How this service is used">
      <h2>A service, not something to order</h2>
      <p>
        {doc.metadata.title} is a building block: a tier&apos;s machine size, image and setup that blueprints
        reuse with <code>uses: {name}@…</code>. It is deployed as a tier of a blueprint you order, never on
        its own.
      </p>
      <Async state={users} what="Finding the blueprints that use it">
        {(list) => (
          <>
            <h2>Blueprints that use it</h2>
            {list.length === 0 ? (
              <Empty>No blueprint you can see uses it yet.</Empty>
            ) : (
              <ul className="plain" aria-label="Blueprints that use it">
                {list.map(({ blueprint, tiers }) => (
                  <li key={blueprint.name}>
                    <Link to={`/catalog/${encodeURIComponent(blueprint.name)}`}>{blueprint.title}</Link>{' '}
                    <span className="muted">
                      (tier {tiers.map((t) => `${t.tier}: ${t.uses}`).join(', ')})
                    </span>
                  </li>
                ))}
              </ul>
            )}
            <h2>Use it in a blueprint</h2>
            <pre className="snippet" data-testid="service-snippet">
              <code>{usageSnippet(doc, list[0]?.tiers[0])}</code>
            </pre>
          </>
        )}
      </Async>
    </section>
  );
}

async function blueprintsUsing(service: string): Promise<User[]> {
  const page = await call<Page<BlueprintSummary>>(
    api.GET('/api/v1/blueprints', { params: { query: { limit: 500 } } }),
  );
  const candidates = page.items.filter((b) => b.kind === 'Blueprint' && b.latestVersion);
  const found = await Promise.all(
    candidates.map(async (blueprint): Promise<User> => {
      const doc = await loadDocument(blueprint.name, blueprint.latestVersion ?? '');
      return { blueprint, tiers: tiersUsing(doc, service) };
    }),
  );
  return found.filter((u) => u.tiers.length > 0);
}
