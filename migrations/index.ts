import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { NetworkFabric1764100000000 } from './1764100000000-network-fabric.js';

/** Every migration, oldest first. The schema changes only through these. */
export const MIGRATIONS = [Foundation1764000000000, NetworkFabric1764100000000];
