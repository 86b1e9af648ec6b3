import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { NetworkFabric1764100000000 } from './1764100000000-network-fabric.js';
import { BlueprintCatalog1764200000000 } from './1764200000000-blueprint-catalog.js';
import { Clouds1764300000000 } from './1764300000000-clouds.js';
import { Deployments1764500000000 } from './1764500000000-deployments.js';
import { BlueprintListIndexes1764600000000 } from './1764600000000-blueprint-list-indexes.js';
import { Reconcile1764700000000 } from './1764700000000-reconcile.js';
import { FabricVerdictIndexes1764750000000 } from './1764750000000-fabric-verdict-indexes.js';
import { UserPasswords1764800000000 } from './1764800000000-user-passwords.js';
import { FabricBgps1764910000000 } from './1764910000000-fabric-bgps.js';
import { TokenDelegation1764950000000 } from './1764950000000-token-delegation.js';
import { InstanceGenerations1765000000000 } from './1765000000000-instance-generations.js';
import { GuestTokens1765100000000 } from './1765100000000-guest-tokens.js';
import { LinuxHostProvider1765200000000 } from './1765200000000-linux-host-provider.js';
import { Governance1765300000000 } from './1765300000000-governance.js';
import { ApprovalsWebhooksEntitlements1765400000000 } from './1765400000000-approvals-webhooks-entitlements.js';
import { Benchmarks1765500000000 } from './1765500000000-benchmarks.js';
import { AuthChangeNotify1765600000000 } from './1765600000000-auth-change-notify.js';
import { FabricChangeNotify1765610000000 } from './1765610000000-fabric-change-notify.js';
import { FabricRulesetPush1766200000000 } from './1766200000000-fabric-ruleset-push.js';
import { FractionalVcpuReservations1766231000000 } from './1766231000000-fractional-vcpu-reservations.js';
import { BenchmarkSchedules1766300000000 } from './1766300000000-benchmark-schedules.js';
import { EntitlementsChangeNotify1766400000000 } from './1766400000000-entitlements-change-notify.js';

/** Every migration, oldest first. The schema changes only through these. */
export const MIGRATIONS = [
  Foundation1764000000000,
  NetworkFabric1764100000000,
  BlueprintCatalog1764200000000,
  Clouds1764300000000,
  Deployments1764500000000,
  BlueprintListIndexes1764600000000,
  Reconcile1764700000000,
  FabricVerdictIndexes1764750000000,
  UserPasswords1764800000000,
  FabricBgps1764910000000,
  TokenDelegation1764950000000,
  InstanceGenerations1765000000000,
  GuestTokens1765100000000,
  LinuxHostProvider1765200000000,
  Governance1765300000000,
  ApprovalsWebhooksEntitlements1765400000000,
  Benchmarks1765500000000,
  AuthChangeNotify1765600000000,
  FabricChangeNotify1765610000000,
  FabricRulesetPush1766200000000,
  FractionalVcpuReservations1766231000000,
  BenchmarkSchedules1766300000000,
  EntitlementsChangeNotify1766400000000,
];
