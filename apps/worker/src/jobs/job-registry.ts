import { ALL_JOBS, type JobName } from '@switchyard/core/queue';
import type { JobHandler } from './job-handler.js';

export class JobCatalogueError extends Error {
  constructor(problems: string[]) {
    super(`The job catalogue is incomplete:\n  - ${problems.join('\n  - ')}`);
    this.name = 'JobCatalogueError';
  }
}

type AnyHandler = JobHandler<JobName>;

/**
 * Maps each job name to its one handler. Built at boot from what the module declares; a name
 * without a handler, with two, or unknown stops the worker before it takes any job.
 */
export class JobRegistry {
  private constructor(private readonly handlers: ReadonlyMap<JobName, AnyHandler>) {}

  static build(found: { name: string; handler: AnyHandler; className: string }[]): JobRegistry {
    const problems: string[] = [];
    const map = new Map<JobName, AnyHandler>();
    const owners = new Map<string, string>();
    for (const { name, handler, className } of found) {
      if (!(ALL_JOBS as readonly string[]).includes(name)) {
        problems.push(`${className} handles "${name}", which is not a JobName`);
      } else if (owners.has(name)) {
        problems.push(`"${name}" has two handlers: ${owners.get(name)} and ${className}`);
      } else {
        owners.set(name, className);
        map.set(name as JobName, handler);
      }
    }
    for (const name of ALL_JOBS) {
      if (!map.has(name)) problems.push(`"${name}" has no handler`);
    }
    if (problems.length) throw new JobCatalogueError(problems);
    return new JobRegistry(map);
  }

  handlerFor(name: string): AnyHandler | undefined {
    return this.handlers.get(name as JobName);
  }
}
