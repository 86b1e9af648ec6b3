import { ALL_JOBS, JobName } from '@switchyard/core/queue';
import type { JobHandler } from './job-handler.js';
import { JobCatalogueError, JobRegistry } from './job-registry.js';

const handler: JobHandler<JobName> = {
  handle: () => Promise.reject(new Error('a registry test must not run handlers')),
};

describe('JobRegistry', () => {
  const complete = ALL_JOBS.map((name) => ({ name: name as string, handler, className: `H_${name}` }));

  it('maps every job name to its handler', () => {
    const registry = JobRegistry.build(complete);
    for (const name of ALL_JOBS) expect(registry.handlerFor(name)).toBe(handler);
    expect(registry.handlerFor('nope')).toBeUndefined();
  });

  it('refuses a name without a handler', () => {
    expect(() => JobRegistry.build(complete.filter((h) => h.name !== JobName.SelfCheck))).toThrow(
      /"self-check" has no handler/,
    );
  });

  it('refuses two handlers for one name, and unknown names', () => {
    const build = () =>
      JobRegistry.build([
        ...complete,
        { name: JobName.SelfCheck, handler, className: 'Again' },
        { name: 'x', handler, className: 'X' },
      ]);
    expect(build).toThrow(JobCatalogueError);
    expect(build).toThrow(/"self-check" has two handlers: H_self-check and Again/);
    expect(build).toThrow(/X handles "x", which is not a JobName/);
  });
});
