import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InstanceRecord, NetworkRecord } from './records.js';

/**
 * The agent's records on disk (one JSON file per network and per instance, written atomically),
 * kept in memory too; a restarted agent reads them back and knows its instances.
 */
export class StateStore {
  readonly networks = new Map<string, NetworkRecord>();
  readonly instances = new Map<string, InstanceRecord>();

  constructor(readonly dir: string) {}

  async load(): Promise<void> {
    for (const kind of ['networks', 'instances', 'runtime'])
      await mkdir(join(this.dir, kind), { recursive: true });
    for (const r of await this.readAll<NetworkRecord>('networks')) this.networks.set(r.name, r);
    for (const r of await this.readAll<InstanceRecord>('instances')) this.instances.set(r.id, r);
  }

  /** The directory holding an instance's overlay layers, console log and boot files. */
  runtimeDir(id: string): string {
    return join(this.dir, 'runtime', id);
  }

  async saveNetwork(r: NetworkRecord): Promise<void> {
    await this.write('networks', r.name, r);
    this.networks.set(r.name, r);
  }

  async deleteNetwork(name: string): Promise<void> {
    await rm(join(this.dir, 'networks', `${name}.json`), { force: true });
    this.networks.delete(name);
  }

  async saveInstance(r: InstanceRecord): Promise<void> {
    await this.write('instances', r.id, r);
    this.instances.set(r.id, r);
  }

  private async write(kind: string, key: string, value: unknown): Promise<void> {
    const file = join(this.dir, kind, `${key}.json`);
    await writeFile(`${file}.tmp`, JSON.stringify(value, null, 2));
    await rename(`${file}.tmp`, file);
  }

  private async readAll<T>(kind: string): Promise<T[]> {
    const dir = join(this.dir, kind);
    if (!existsSync(dir)) return [];
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    return Promise.all(files.map(async (f) => JSON.parse(await readFile(join(dir, f), 'utf8')) as T));
  }
}
