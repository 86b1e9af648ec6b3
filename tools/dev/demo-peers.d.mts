// Types of demo-peers.mjs for the tests that use it.
import type { ChildProcess } from 'node:child_process';

export function httpUp(url: string): Promise<boolean>;
export function waitForPeer(
  name: string,
  child: ChildProcess,
  probe: () => Promise<boolean>,
  logFile: string,
  ceilingS?: number,
): Promise<boolean>;
export function startDemoPeers(
  root: string,
  env: Record<string, string | undefined>,
): Promise<{ value: string | undefined; summary: string; stop(): void }>;
