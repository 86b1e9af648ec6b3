import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandError, InvalidHostValueError, type HostNetwork } from '../host-network/index.js';
import { AgentError, AgentErrorCode } from '../http/agent-error.js';
import { parseUserData, type BootConfig } from '../sandbox/user-data.js';
import type { KeyedLock } from '../state/keyed-lock.js';
import { instanceView, type InstanceRecord, type InstanceState } from '../state/records.js';
import { newShortId } from '../state/short-id.js';
import type { StateStore } from '../state/state-store.js';
import { readInstanceBody } from './instance-body.js';
import type { InstanceKernel } from './instance-kernel.js';
import { findInstanceType } from './instance-types.js';

const ID = /^lh-[a-z0-9]{6}$/;
const CONSOLE_TAIL = 64 * 1024;
type Action = 'start' | 'stop' | 'reboot';

/** Instances: records, state transitions, and the kernel work done in the background. */
export class InstanceService {
  constructor(
    private readonly store: StateStore,
    private readonly host: HostNetwork,
    private readonly kernel: InstanceKernel,
    private readonly locks: KeyedLock,
    private readonly log: (event: string, fields: Record<string, unknown>) => void,
  ) {}

  async create(body: unknown): Promise<{ created: boolean; instance: ReturnType<typeof instanceView> }> {
    const req = readInstanceBody(body, this.store.networks);
    return this.locks.run('instances:create', async () => {
      const first = [...this.store.instances.values()].find((i) => i.idempotencyKey === req.idempotencyKey);
      if (first) return { created: false, instance: instanceView(first) };
      const holder = [...this.store.instances.values()].find(
        (i) => i.network === req.network && i.privateIp === req.privateIp && i.state !== 'terminated',
      );
      if (holder) {
        throw new AgentError(
          AgentErrorCode.Conflict,
          `${req.privateIp} is taken on ${req.network} by ${holder.id}`,
        );
      }
      const short = newShortId((id) => this.store.instances.has(`lh-${id}`));
      const { boot: _boot, ...fields } = req;
      const record: InstanceRecord = {
        id: `lh-${short}`,
        ...fields,
        state: 'pending',
        createdAt: new Date().toISOString(),
      };
      await this.store.saveInstance(record);
      void this.background(record.id, () => this.firstBoot(record.id, req.boot));
      return { created: true, instance: instanceView(record) };
    });
  }

  get(id: string) {
    return instanceView(this.find(id));
  }

  /** Live instances carrying every `tags` pair (and the `managed` key, when given). */
  list(tags: [string, string][], managed?: string) {
    return [...this.store.instances.values()]
      .filter((i) => i.state !== 'terminated')
      .filter((i) => tags.every(([k, v]) => i.tags[k] === v))
      .filter((i) => managed === undefined || managed in i.tags)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map(instanceView);
  }

  /** Accepts start, stop or reboot (202); the work runs in the background. */
  async act(id: string, action: Action): Promise<void> {
    const r = this.find(id);
    if (r.state === 'terminated')
      throw new AgentError(AgentErrorCode.Conflict, `instance ${id} is terminated`);
    void this.background(id, () => this.locks.run(`instance:${id}`, () => this.doAction(id, action)));
  }

  async terminate(id: string): Promise<void> {
    const r = ID.test(id) ? this.store.instances.get(id) : undefined;
    if (!r || r.state === 'terminated') return;
    await this.locks.run(`instance:${id}`, async () => {
      const problems = await this.kernel.destroy(r);
      if (problems.length > 0) {
        throw new AgentError(
          AgentErrorCode.Internal,
          `terminate left objects behind: ${problems.join('; ')}`,
        );
      }
      const { userData: _u, ruleset: _r, ...kept } = r;
      await this.store.saveInstance({ ...kept, state: 'terminated' });
    });
  }

  /** Loads an nftables ruleset atomically in the instance's namespace. */
  async putRuleset(id: string, ruleset: string): Promise<void> {
    const r = this.find(id);
    await this.locks.run(`instance:${id}`, async () => {
      if (r.state === 'terminated' || r.state === 'pending' || r.state === 'error') {
        throw new AgentError(AgentErrorCode.Conflict, `instance ${id} is ${r.state}`);
      }
      try {
        await this.host.nft.load(ruleset, { netns: this.kernel.names(r).netns });
      } catch (e) {
        if (e instanceof InvalidHostValueError || e instanceof CommandError) {
          const message = e instanceof CommandError ? e.stderr.trim() : e.message;
          throw AgentError.invalid([{ path: 'body', message }]);
        }
        throw e;
      }
      await this.store.saveInstance({ ...this.find(id), ruleset });
    });
  }

  /** The last 64 KiB of the instance's console (its boot and runcmd output). */
  async console(id: string): Promise<string> {
    const r = this.find(id);
    const file = join(this.store.runtimeDir(r.id), 'console.log');
    const size = await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (size === 0) return '';
    const handle = await open(file, 'r');
    try {
      const length = Math.min(size, CONSOLE_TAIL);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      return buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  }

  /** After a restart: instances whose processes are gone are stopped; half-made ones are undone. */
  async reconcile(): Promise<void> {
    for (const r of this.store.instances.values()) {
      if (r.state === 'running' && !(await this.kernel.hasProcesses(r))) await this.setState(r.id, 'stopped');
      if (r.state === 'pending' || r.state === 'stopping') {
        await this.kernel.destroy(r);
        await this.setState(
          r.id,
          'error',
          'the agent restarted while the instance was being set up or stopped',
        );
      }
    }
  }

  private find(id: string): InstanceRecord {
    const r = ID.test(id) ? this.store.instances.get(id) : undefined;
    if (!r) throw AgentError.notFound(`instance ${id}`);
    return r;
  }

  private bootConfig(r: InstanceRecord): BootConfig {
    const empty: BootConfig = { writeFiles: [], runcmd: [], packages: [], ignored: [] };
    return r.userData === undefined ? empty : (parseUserData(r.userData).config ?? empty);
  }

  private async firstBoot(id: string, boot: BootConfig): Promise<void> {
    await this.locks.run(`instance:${id}`, async () => {
      const r = this.find(id);
      const missing = await this.missingPackages(boot.packages);
      if (missing.length > 0) throw new Error(`packages not present on the host: ${missing.join(', ')}`);
      const type = findInstanceType(r.instanceType)!;
      const net = this.store.networks.get(r.network);
      if (!net) throw new Error(`network ${r.network} is gone`);
      await this.kernel.create(r, net, boot, type);
      try {
        await this.kernel.boot(r, boot);
      } catch (e) {
        // a first boot that fails undoes the whole setup, as a failed create should
        const left = await this.kernel.destroy(r);
        throw new Error(
          left.length === 0 ? (e as Error).message : `${(e as Error).message}; left: ${left.join('; ')}`,
        );
      }
      await this.setState(r.id, 'running');
    });
  }

  private async bootOrUndo(r: InstanceRecord, boot: BootConfig): Promise<void> {
    try {
      await this.kernel.boot(r, boot);
    } catch (e) {
      await this.kernel.stop(r).catch(() => undefined);
      throw e;
    }
    await this.setState(r.id, 'running');
  }

  private async doAction(id: string, action: Action): Promise<void> {
    const r = this.find(id);
    if (r.state === 'terminated' || r.state === 'pending') return;
    if (action === 'stop' || action === 'reboot') {
      if (r.state === 'running' || r.state === 'error') {
        await this.setState(id, 'stopping');
        await this.kernel.stop(r);
      }
      await this.setState(id, 'stopped');
    }
    if (action === 'start' || action === 'reboot') {
      if (this.find(id).state === 'running') return;
      await this.setState(id, 'pending');
      await this.bootOrUndo(this.find(id), this.bootConfig(r));
    }
  }

  private async background(id: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.log('instance.failed', { id, message });
      await this.setState(id, 'error', message).catch(() => undefined);
    }
  }

  private async setState(id: string, state: InstanceState, error?: string): Promise<void> {
    const { error: _old, ...r } = this.find(id);
    await this.store.saveInstance({ ...r, state, ...(error ? { error } : {}) });
    this.log('instance.state', { id, state, ...(error ? { error } : {}) });
  }

  private async missingPackages(packages: readonly string[]): Promise<string[]> {
    const missing: string[] = [];
    for (const p of packages) {
      const installed = await this.host.runner.run('dpkg-query', ['-W', '-f=${Status}', '--', p]).then(
        (o) => o.stdout.includes('install ok installed'),
        () => false,
      );
      if (!installed) missing.push(p);
    }
    return missing;
  }
}
