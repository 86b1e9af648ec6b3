import { availableParallelism, release, totalmem } from 'node:os';
import { AgentConfigError, loadAgentConfig } from './config/agent-config.js';
import { CgroupCommands, HostNetwork, detectCgroupLayout } from './host-network/index.js';
import { createAgentServer } from './http/agent-server.js';
import { InstanceKernel } from './instances/instance-kernel.js';
import { IMAGES, INSTANCE_TYPES } from './instances/instance-types.js';
import { InstanceService } from './instances/instance.service.js';
import { NetworkService } from './networks/network.service.js';
import { KeyedLock } from './state/keyed-lock.js';
import { StateStore } from './state/state-store.js';

function log(event: string, fields: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify({ time: new Date().toISOString(), event, ...fields }) + '\n');
}

async function main(): Promise<void> {
  const config = loadAgentConfig(process.env);
  const host = new HostNetwork();
  const underlay = config.underlayAddress ?? (await host.addresses.routeSource());
  if (!underlay)
    throw new AgentConfigError(
      'no default route to take the underlay address from: set AGENT_UNDERLAY_ADDRESS',
    );
  const cgroups = new CgroupCommands(await detectCgroupLayout());
  const limits = cgroups.layout.limits;
  if (limits.kind === 'none') log('cgroup.limits.unenforced', { reason: limits.reason });
  const store = new StateStore(config.stateDir);
  await store.load();
  const locks = new KeyedLock();
  const kernel = new InstanceKernel(host, cgroups, store, {
    prefix: config.namePrefix,
    stateDir: config.stateDir,
    instanceUid: config.instanceUid,
  });
  const networks = new NetworkService(store, host, locks, config.namePrefix, underlay);
  const instances = new InstanceService(store, host, kernel, locks, log);
  await instances.reconcile();
  const hostInfo = async () => ({
    hostId: config.hostId,
    kernel: release(),
    cpus: availableParallelism(),
    memoryMiB: Math.floor(totalmem() / 1024 / 1024),
    underlayAddress: underlay,
    instanceTypes: INSTANCE_TYPES,
    images: IMAGES,
    cgroupLimits: limits.kind === 'none' ? `unenforced: ${limits.reason}` : `cgroup ${limits.kind}`,
  });
  const server = createAgentServer({ token: config.token, networks, instances, hostInfo, log });
  server.listen(config.listenPort, config.listenHost, () => {
    log('agent.listening', {
      listen: `${config.listenHost}:${config.listenPort}`,
      hostId: config.hostId,
      underlay,
    });
  });
  const shutdown = () => server.close(() => process.exit(0));
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
