/** The instance types this agent offers (fixed; the rate card prices their vCPU-hours and GiB-hours). */
export const INSTANCE_TYPES = [
  { id: 'lh.quarter', name: 'Quarter CPU, 256 MiB', cpu: 0.25, memoryMiB: 256 },
  { id: 'lh.half', name: 'Half CPU, 512 MiB', cpu: 0.5, memoryMiB: 512 },
  { id: 'lh.1', name: '1 CPU, 1 GiB', cpu: 1, memoryMiB: 1024 },
  { id: 'lh.2', name: '2 CPUs, 2 GiB', cpu: 2, memoryMiB: 2048 },
] as const;

export type InstanceType = (typeof INSTANCE_TYPES)[number];

export const IMAGES = [
  { id: 'host-root', name: "The host's root filesystem (copy-on-write overlay)" },
] as const;

export function findInstanceType(id: string): InstanceType | undefined {
  return INSTANCE_TYPES.find((t) => t.id === id);
}
