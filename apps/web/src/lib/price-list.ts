// The price list as the form holds it (text in every box), the body the API takes, and the same
// checks the server makes (apps/api/src/environments: environments.dto.ts and environment-prices.util.ts),
// keyed by the paths the server names: priceList.instanceTypes.2.hourlyPrice. No imports: the
// browser tests run these checks in Node against the server's answers, so that they stay alike.
const DECIMAL = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,10})?$/;
export const DECIMAL_RULE = 'must be a decimal string such as "0.0416"';
const MAX_TYPES = 1000;

/** The API's PriceListDto (the generated schema's shape, which the form's requests are checked against). */
export interface PriceListBody {
  currency: string;
  source?: string;
  date?: string;
  instanceTypes?: { name: string; cpu: number; memoryMiB: number; hourlyPrice?: string }[];
  rateCard?: { vcpuHour: string; gibRamHour: string; gibDiskMonth: string };
  storageGiBMonthPrice?: string;
}

export interface PriceRow {
  /** Stable across edits, for React keys and focus; never sent. */
  key: number;
  name: string;
  cpu: string;
  memoryMiB: string;
  hourlyPrice: string;
}

export interface PriceListDraft {
  currency: string;
  source: string;
  date: string;
  rows: PriceRow[];
  useRateCard: boolean;
  rateCard: { vcpuHour: string; gibRamHour: string; gibDiskMonth: string };
  storageGiBMonthPrice: string;
}

let nextKey = 1;
export const newRow = (): PriceRow => ({ key: nextKey++, name: '', cpu: '', memoryMiB: '', hourlyPrice: '' });

export function emptyDraft(today = new Date()): PriceListDraft {
  return {
    currency: 'USD',
    source: '',
    date: today.toISOString().slice(0, 10),
    rows: [newRow()],
    useRateCard: false,
    rateCard: { vcpuHour: '', gibRamHour: '', gibDiskMonth: '' },
    storageGiBMonthPrice: '',
  };
}

const LIST_FIELDS = ['currency', 'source', 'date', 'instanceTypes', 'rateCard', 'storageGiBMonthPrice'];
const TYPE_FIELDS = ['name', 'cpu', 'memoryMiB', 'hourlyPrice'];

/** What the server would refuse in pasted JSON before its values are checked: its shape. */
export function shapeProblem(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return 'must be an object: {"currency": "USD", "instanceTypes": [...]}';
  }
  const list = json as Record<string, unknown>;
  const unknown = Object.keys(list).find((k) => !LIST_FIELDS.includes(k));
  if (unknown) return `${unknown} is not a known field (${LIST_FIELDS.join(', ')})`;
  if (list.instanceTypes !== undefined && !Array.isArray(list.instanceTypes))
    return 'instanceTypes must be a list';
  const types = (list.instanceTypes ?? []) as unknown[];
  for (const [i, t] of types.entries()) {
    if (typeof t !== 'object' || t === null) return `instanceTypes.${i} must be an object`;
    const extra = Object.keys(t).find((k) => !TYPE_FIELDS.includes(k));
    if (extra) return `instanceTypes.${i}.${extra} is not a known field (${TYPE_FIELDS.join(', ')})`;
  }
  if (list.rateCard !== undefined && (typeof list.rateCard !== 'object' || list.rateCard === null)) {
    return 'rateCard must be an object: {"vcpuHour", "gibRamHour", "gibDiskMonth"}';
  }
  return undefined;
}

/** An environment's stored price list (or pasted JSON that passed shapeProblem) as a draft. */
export function toDraft(list: Partial<PriceListBody> | undefined): PriceListDraft {
  const text = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return {
    currency: text(list?.currency),
    source: text(list?.source),
    date: text(list?.date),
    rows: (Array.isArray(list?.instanceTypes) ? list.instanceTypes : []).map((t) => ({
      key: nextKey++,
      name: text(t.name),
      cpu: text(t.cpu),
      memoryMiB: text(t.memoryMiB),
      hourlyPrice: text(t.hourlyPrice),
    })),
    useRateCard: !!list?.rateCard,
    rateCard: {
      vcpuHour: text(list?.rateCard?.vcpuHour),
      gibRamHour: text(list?.rateCard?.gibRamHour),
      gibDiskMonth: text(list?.rateCard?.gibDiskMonth),
    },
    storageGiBMonthPrice: text(list?.storageGiBMonthPrice),
  };
}

// numbers stay as typed when they are not numbers, so the server names them the same way
const num = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/** The body the API takes; empty optional boxes are left out (the server fills source and date). */
export function toBody(d: PriceListDraft): PriceListBody {
  const body: Record<string, unknown> = { currency: d.currency.trim() };
  if (d.source.trim()) body.source = d.source.trim();
  if (d.date.trim()) body.date = d.date.trim();
  body.instanceTypes = d.rows.map((r) => ({
    name: r.name.trim(),
    cpu: num(r.cpu),
    memoryMiB: num(r.memoryMiB),
    ...(r.hourlyPrice.trim() ? { hourlyPrice: r.hourlyPrice.trim() } : {}),
  }));
  if (d.useRateCard) {
    body.rateCard = {
      vcpuHour: d.rateCard.vcpuHour.trim(),
      gibRamHour: d.rateCard.gibRamHour.trim(),
      gibDiskMonth: d.rateCard.gibDiskMonth.trim(),
    };
  }
  if (d.storageGiBMonthPrice.trim()) body.storageGiBMonthPrice = d.storageGiBMonthPrice.trim();
  return body as unknown as PriceListBody;
}

function intProblem(text: string, max: number): string | undefined {
  if (text.trim() === '') return 'is required';
  const n = Number(text);
  if (!Number.isInteger(n)) return 'must be an integer number';
  if (n < 1) return 'must not be less than 1';
  if (n > max) return `must not be greater than ${max}`;
  return undefined;
}

const decimalProblem = (text: string) => (DECIMAL.test(text.trim()) ? undefined : DECIMAL_RULE);

/** Every problem the server would name, by its path under `prefix`. */
export function checkPriceList(d: PriceListDraft, prefix = 'priceList'): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (path: string, problem: string | undefined) => {
    if (problem) out[`${prefix}.${path}`] ??= problem;
  };
  put('currency', /^[A-Z]{3}$/.test(d.currency.trim()) ? undefined : 'must be an ISO 4217 code such as USD');
  put('source', d.source.trim().length > 200 ? 'must be shorter than or equal to 200 characters' : undefined);
  if (d.date.trim())
    put('date', /^\d{4}-\d{2}-\d{2}$/.test(d.date.trim()) ? undefined : 'must be a date YYYY-MM-DD');
  if (d.rows.length > MAX_TYPES) put('instanceTypes', `must contain no more than ${MAX_TYPES} elements`);
  if (d.rows.length === 0 && !d.useRateCard) {
    out[prefix] = 'needs instanceTypes with prices, or a rateCard that prices any size';
  }
  const seen = new Set<string>();
  d.rows.forEach((r, i) => {
    const name = r.name.trim();
    const at = `instanceTypes.${i}`;
    put(
      `${at}.name`,
      name === '' ? 'is required' : name.length > 64 ? 'must be at most 64 characters' : undefined,
    );
    if (name && seen.has(name)) put(`${at}.name`, 'is listed twice');
    seen.add(name);
    put(`${at}.cpu`, intProblem(r.cpu, 4096));
    put(`${at}.memoryMiB`, intProblem(r.memoryMiB, 67_108_864));
    if (r.hourlyPrice.trim()) put(`${at}.hourlyPrice`, decimalProblem(r.hourlyPrice));
    else if (!d.useRateCard) put(`${at}.hourlyPrice`, 'is required without a rateCard');
  });
  if (d.useRateCard) {
    for (const k of ['vcpuHour', 'gibRamHour', 'gibDiskMonth'] as const) {
      put(`rateCard.${k}`, decimalProblem(d.rateCard[k]));
    }
  }
  if (d.storageGiBMonthPrice.trim()) put('storageGiBMonthPrice', decimalProblem(d.storageGiBMonthPrice));
  return out;
}
