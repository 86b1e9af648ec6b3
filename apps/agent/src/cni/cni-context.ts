import { AttachmentStore } from './attachment-store.js';
import type { PluginConfig } from './cni-config.js';
import type { Invocation } from './cni-invocation.js';
import { SwitchyardClient } from './switchyard-client.js';

/** Everything a command works with: the runtime's parameters, the configuration, the state, the API. */
export interface CniContext {
  inv: Invocation;
  cfg: PluginConfig;
  store: AttachmentStore;
  api: SwitchyardClient;
}

export function cniContext(inv: Invocation, cfg: PluginConfig): CniContext {
  return {
    inv,
    cfg,
    store: new AttachmentStore(cfg.stateDir, cfg.name),
    api: new SwitchyardClient(cfg.url, cfg.token),
  };
}
