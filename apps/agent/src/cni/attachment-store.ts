import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CniResult } from './cni-result.js';

/** What the plugin keeps on the host about one attachment, so that ADD is idempotent and DEL and GC work without the namespace. */
export interface AttachmentRecord {
  containerId: string;
  ifname: string;
  netns: string;
  tenant: string;
  network: string;
  group: string;
  /** The fabric endpoint's key (createEndpoint's EndpointID). */
  endpointId: string;
  hostIfname: string;
  /** The bridge its host end is on (the agent's, or one of the plugin's own). */
  bridge?: string;
  /** The ADD result, once the attachment is complete. */
  result?: CniResult;
  /** The ETag of the ruleset loaded in the container, and its table. */
  rulesetEtag?: string;
  rulesetTable?: string;
}

/**
 * Attachment records, one file per (network configuration name, container id, interface name),
 * as the spec asks plugins to key their state. Files are replaced by rename, so a crash leaves the
 * old record or the new one, never half of one.
 */
export class AttachmentStore {
  private readonly dir: string;

  constructor(stateDir: string, networkName: string) {
    this.dir = join(stateDir, networkName);
  }

  async get(containerId: string, ifname: string): Promise<AttachmentRecord | undefined> {
    try {
      return JSON.parse(await readFile(this.file(containerId, ifname), 'utf8')) as AttachmentRecord;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  async put(record: AttachmentRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const file = this.file(record.containerId, record.ifname);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(record, null, 2) + '\n', { mode: 0o600 });
    await rename(temp, file);
  }

  async remove(containerId: string, ifname: string): Promise<void> {
    await rm(this.file(containerId, ifname), { force: true });
  }

  /** Every record file of this network: its name, and the record or why it cannot be read. */
  async list(): Promise<{ file: string; record?: AttachmentRecord; problem?: string }[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: { file: string; record?: AttachmentRecord; problem?: string }[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      const file = join(this.dir, name);
      try {
        const record = JSON.parse(await readFile(file, 'utf8')) as AttachmentRecord;
        if (typeof record.containerId !== 'string' || typeof record.ifname !== 'string') {
          throw new Error('no containerId and ifname');
        }
        out.push({ file, record });
      } catch (err) {
        out.push({ file, problem: (err as Error).message });
      }
    }
    return out;
  }

  async removeFile(file: string): Promise<void> {
    await rm(file, { force: true });
  }

  private file(containerId: string, ifname: string): string {
    // container ids may be long; a digest keeps the file name short and safe
    const digest = createHash('sha256').update(`${containerId}\0${ifname}`).digest('hex').slice(0, 32);
    return join(this.dir, `${digest}.json`);
  }
}
