import { formatDecimal, MONEY_DECIMALS, parseDecimal } from '@switchyard/blueprints';
import type { PricedInstanceType, PriceList } from '@switchyard/core/database';
import type { ErrorDetail } from '../common/app.exception.js';
import type { PriceListDto } from './environments.dto.js';

type RateCard = NonNullable<PriceList['rateCard']>;
interface Size {
  name: string;
  cpu: number;
  memoryMiB: number;
}

/** Checks what the DTO's field rules cannot: a list or a card, prices where no card prices them. */
export function checkPriceList(dto: PriceListDto, path = 'priceList'): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const types = dto.instanceTypes ?? [];
  if (types.length === 0 && !dto.rateCard) {
    problems.push({ path, message: 'needs instanceTypes with prices, or a rateCard that prices any size' });
  }
  const seen = new Set<string>();
  types.forEach((t, i) => {
    if (seen.has(t.name))
      problems.push({ path: `${path}.instanceTypes.${i}.name`, message: 'is listed twice' });
    seen.add(t.name);
    if (t.hourlyPrice === undefined && !dto.rateCard) {
      problems.push({
        path: `${path}.instanceTypes.${i}.hourlyPrice`,
        message: 'is required without a rateCard',
      });
    }
  });
  return problems;
}

/**
 * The price list as stored: sizes listed without a price are priced by the card now; without
 * any size listed, the card prices the account's instance types when a catalog is asked for.
 */
export function toPriceList(dto: PriceListDto, today = new Date()): PriceList {
  const { rateCard } = dto;
  const list: PriceList = {
    currency: dto.currency,
    source: dto.source ?? (rateCard ? 'rate card' : 'entered price list'),
    date: dto.date ?? today.toISOString().slice(0, 10),
    instanceTypes: (dto.instanceTypes ?? []).map((t) => ({
      name: t.name,
      cpu: t.cpu,
      memoryMiB: t.memoryMiB,
      hourlyPrice: t.hourlyPrice ?? rateCardPrice(rateCard as RateCard, t),
    })),
  };
  if (rateCard) list.rateCard = { ...rateCard };
  const storage = dto.storageGiBMonthPrice ?? rateCard?.gibDiskMonth;
  if (storage !== undefined) list.storageGiBMonthPrice = storage;
  return list;
}

/**
 * Hourly price of a size on a rate card: vCPUs × per-vCPU-hour + GiB of RAM × per-GiB-hour. A
 * vCPU count may be a fraction (a Linux host's cgroup limit of 0.25 CPU is a quarter vCPU-hour).
 */
export function rateCardPrice(card: RateCard, size: Pick<Size, 'cpu' | 'memoryMiB'>): string {
  const vcpu = parseDecimal(card.vcpuHour) ?? 0n;
  const ram = parseDecimal(card.gibRamHour) ?? 0n;
  // memory in MiB: divide by 1024 rounding half up at the last of the ten decimal places
  const memory = (BigInt(size.memoryMiB) * ram * 2n + 1024n) / 2048n;
  return formatDecimal(cpuShare(size.cpu, vcpu) + memory);
}

/** vCPUs × a per-vCPU price in units, exact for counts with up to ten decimals, half up beyond. */
function cpuShare(cpu: number, vcpuPrice: bigint): bigint {
  if (Number.isInteger(cpu)) return BigInt(cpu) * vcpuPrice;
  const units = parseDecimal(cpu.toFixed(MONEY_DECIMALS).replace(/\.?0+$/, '')) ?? 0n;
  const unit = 10n ** BigInt(MONEY_DECIMALS);
  return (units * vcpuPrice * 2n + unit) / (2n * unit);
}

/** The priced instance types of a list: its own, or (rate card only) the given sizes priced by it. */
export function pricedInstanceTypes(list: PriceList, sizes: readonly Size[]): PricedInstanceType[] {
  if (list.instanceTypes.length > 0 || !list.rateCard) return list.instanceTypes;
  const card = list.rateCard;
  return sizes.map((s) => ({
    name: s.name,
    cpu: s.cpu,
    memoryMiB: s.memoryMiB,
    hourlyPrice: rateCardPrice(card, s),
  }));
}
