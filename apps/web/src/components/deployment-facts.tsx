import type { components } from '../api/schema';
import type { DeploymentDetail } from '../api/types';
import { momentFromNow } from '../lib/durations';
import { useNow } from '../lib/use-now';

type Networks = Pick<components['schemas']['DeploymentDetailDto'], 'networks'>;

/** What was ordered: the parameters' values, each environment's subnet, and the lease. */
export function DeploymentFacts({ deployment: d }: { deployment: DeploymentDetail }) {
  const now = useNow(false);
  const parameters = Object.entries(d.parameters ?? {});
  const subnets = Object.entries((d as Partial<Networks>).networks ?? {});
  return (
    <>
      <h2>Parameters</h2>
      {parameters.length ? (
        <dl className="kv" aria-label="Parameters">
          {parameters.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd>
                <code>{typeof value === 'string' ? value : JSON.stringify(value)}</code>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">This blueprint takes no parameters.</p>
      )}
      <h2>Networks</h2>
      {subnets.length ? (
        <dl className="kv" aria-label="Subnets">
          {subnets.map(([env, n]) => (
            <div key={env}>
              <dt>{env}</dt>
              <dd>
                <code>{n.subnet}</code>
              </dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="muted">No network yet: the first step makes one per environment.</p>
      )}
      <h2>Lease</h2>
      <p data-testid="lease">
        {d.leaseExpiresAt ? (
          <>
            {d.endedAt
              ? 'It ended before its lease, which was to end on'
              : Date.parse(d.leaseExpiresAt) > now
                ? 'Terminated automatically on'
                : 'The lease ended on'}{' '}
            <time dateTime={d.leaseExpiresAt} data-testid="lease-ends">
              {momentFromNow(d.leaseExpiresAt, now)}
            </time>{' '}
            <span className="muted">({d.leaseHours} h after the order)</span>
          </>
        ) : (
          <span className="muted">No lease: it runs until someone terminates it.</span>
        )}
      </p>
    </>
  );
}
