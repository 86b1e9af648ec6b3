import { checkPriceList, toBody, toDraft } from '../web-rules.js';
import type { WebStack } from '../support/web-stack.js';

type Row = { name?: unknown; cpu?: unknown; memoryMiB?: unknown; hourlyPrice?: unknown };
const row = (name: string, cpu: unknown, memoryMiB: unknown, hourlyPrice?: string): Row => ({
  name,
  cpu,
  memoryMiB,
  ...(hourlyPrice === undefined ? {} : { hourlyPrice }),
});

// Mistakes the server's field rules catch (the DTO's), and those its service catches once the
// fields are well formed: the server answers one kind at a time, so each case holds one kind.
const CASES: { what: string; list: Record<string, unknown> }[] = [
  {
    what: 'badly formed fields',
    list: {
      currency: 'usd',
      source: 'x'.repeat(201),
      date: '2026/01/01',
      instanceTypes: [
        row('', '2', '2048', '0.01'),
        row('a', '0', '1024.5', '1.2.3'),
        row('b', '4097', '67108865', '-1'),
        row('c'.repeat(65), '1', '1', '01.5'),
      ],
      storageGiBMonthPrice: '0.0000000000001',
    },
  },
  {
    what: 'a rate card with bad prices',
    list: { currency: 'EUR', rateCard: { vcpuHour: 'x', gibRamHour: '0.004', gibDiskMonth: '' } },
  },
  {
    what: 'names listed twice and prices missing',
    list: {
      currency: 'USD',
      instanceTypes: [row('small', 1, 1024, '0.01'), row('small', 2, 2048), row('large', 4, 8192)],
    },
  },
  { what: 'neither sizes nor a rate card', list: { currency: 'USD', instanceTypes: [] } },
  {
    what: 'a good list',
    list: {
      currency: 'USD',
      date: '2026-01-31',
      rateCard: { vcpuHour: '0.015', gibRamHour: '0.004', gibDiskMonth: '0.05' },
      instanceTypes: [row('small', 1, 2048), row('big', 64, 262144, '2.5')],
    },
  },
];

/** The price-list editor refuses what the server refuses, at the same paths: the rules stay alike. */
export function priceRuleTests(s: WebStack): void {
  it("the price-list editor's checks name the same paths as the server's answers", async () => {
    for (const [i, c] of CASES.entries()) {
      const draft = toDraft(c.list as Parameters<typeof toDraft>[0]);
      const local = Object.keys(checkPriceList(draft)).sort();
      const name = `rules-${s.run}-${i}`;
      const res = await s.admin.post('/api/v1/environments', {
        name,
        account: s.awsAccountId,
        images: [],
        priceList: toBody(draft),
      });
      const server = [
        ...new Set<string>((res.body.details ?? []).map((d: { path: string }) => d.path)),
      ].sort();
      expect({ case: c.what, paths: local }).toEqual({ case: c.what, paths: server });
      if (res.status === 201) expect((await s.admin.delete(`/api/v1/environments/${name}`)).status).toBe(204);
      else expect(res.status).toBe(400);
    }
  }, 60_000);
}
