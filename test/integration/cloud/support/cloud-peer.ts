import type { CloudAdapter, NetworkSpec, RetryPolicy } from '@switchyard/cloud-adapters';
import type { Fault, FaultProxy } from './fault-proxy.js';

/** Tuning for an adapter the contract builds itself (fast retries, short timeouts). */
export interface AdapterTuning {
  retry?: RetryPolicy;
  requestTimeoutMs?: number;
}

/** A running protocol peer and how to build adapters against it; one per test file. */
export interface CloudPeer {
  name: string;
  /** The API URL adapters talk to (SDK endpoint, Keystone, vim25 SDK). */
  endpoint: string;
  /** PEM of the CA that signed the peer's certificate, for peers on TLS (vcsim). */
  caCert?: string;
  /** The user the peer's API accepts, for tests that read it past the adapter (vcsim). */
  login?: { username: string; password: string };
  adapter(tuning?: AdapterTuning): CloudAdapter;
  /** An adapter that reaches the peer's API through a fault-injecting proxy. */
  adapterThroughProxy(tuning: AdapterTuning): Promise<{ adapter: CloudAdapter; proxy: FaultProxy }>;
  /** Runs `check` with an adapter holding wrong credentials (the peer enforcing auth meanwhile). */
  withWrongCredentials(check: (adapter: CloudAdapter) => Promise<void>): Promise<void>;
  /** How the cloud says "slow down" on the wire. */
  throttleFault: Fault;
  /** A proxied request that creates an instance (for the lost-response idempotency case). */
  isCreateRequest(req: { method: string; path: string; body: string }): boolean;
  /** A proxied request that creates a network (or its subnet), for the same case. */
  isNetworkCreateRequest(req: { method: string; path: string; body: string }): boolean;
  /** A proxied request that adds rules to a security group; absent when the cloud has no groups. */
  isRuleRequest?(req: { method: string; path: string; body: string }): boolean;
  fixtures: {
    instanceType: string;
    image: string;
    network: NetworkSpec;
    privateIp: string;
    unknownInstanceId: string;
  };
  /** Every create names its address (a Linux host has no IPAM of its own: the fabric's is used). */
  needsAddresses?: boolean;
  /** How long one state change may take on this peer. */
  stateTimeoutMs: number;
  stop(): Promise<void>;
}
