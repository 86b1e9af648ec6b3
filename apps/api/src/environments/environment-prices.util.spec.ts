import {
  checkPriceList,
  pricedInstanceTypes,
  rateCardPrice,
  toPriceList,
} from './environment-prices.util.js';
import { defaultAwsPriceList } from './aws-price-list.util.js';

const card = { vcpuHour: '0.015', gibRamHour: '0.004', gibDiskMonth: '0.05' };

describe('environment prices', () => {
  it('prices any size on a rate card exactly, in decimal strings', () => {
    expect(rateCardPrice(card, { cpu: 2, memoryMiB: 4096 })).toBe('0.046');
    expect(rateCardPrice(card, { cpu: 1, memoryMiB: 512 })).toBe('0.017');
    // 0.1 + 0.2 in floats is not 0.3; here it is
    expect(rateCardPrice({ ...card, vcpuHour: '0.1', gibRamHour: '0.2' }, { cpu: 1, memoryMiB: 1024 })).toBe(
      '0.30',
    );
  });

  it('prices a fraction of a vCPU (a Linux host’s cgroup limit) by the share of a vCPU-hour', () => {
    // 0.25 × 0.015 + 0.25 GiB × 0.004
    expect(rateCardPrice(card, { cpu: 0.25, memoryMiB: 256 })).toBe('0.00475');
    expect(rateCardPrice(card, { cpu: 0.5, memoryMiB: 512 })).toBe('0.0095');
  });

  it('expands a card over sizes only when the list names none', () => {
    const list = toPriceList({ currency: 'EUR', rateCard: card }, new Date('2025-03-01T10:00:00Z'));
    expect(list).toMatchObject({
      currency: 'EUR',
      source: 'rate card',
      date: '2025-03-01',
      storageGiBMonthPrice: '0.05',
    });
    expect(pricedInstanceTypes(list, [{ name: 'small', cpu: 1, memoryMiB: 2048 }])).toEqual([
      { name: 'small', cpu: 1, memoryMiB: 2048, hourlyPrice: '0.023' },
    ]);
    const named = toPriceList({
      currency: 'EUR',
      rateCard: card,
      instanceTypes: [
        { name: 'big', cpu: 16, memoryMiB: 65536 },
        { name: 'fixed', cpu: 1, memoryMiB: 1024, hourlyPrice: '9.99' },
      ],
    });
    expect(
      pricedInstanceTypes(named, [{ name: 'small', cpu: 1, memoryMiB: 2048 }]).map((t) => t.hourlyPrice),
    ).toEqual(['0.496', '9.99']);
  });

  it('names every problem of a price list by path', () => {
    expect(checkPriceList({ currency: 'USD' })).toEqual([
      { path: 'priceList', message: expect.stringMatching(/rateCard/) },
    ]);
    expect(
      checkPriceList({
        currency: 'USD',
        instanceTypes: [
          { name: 'a', cpu: 1, memoryMiB: 1 },
          { name: 'a', cpu: 1, memoryMiB: 1, hourlyPrice: '1' },
        ],
      }).map((p) => p.path),
    ).toEqual(['priceList.instanceTypes.0.hourlyPrice', 'priceList.instanceTypes.1.name']);
  });

  it('ships dated AWS prices for two regions and none for others', () => {
    const us = defaultAwsPriceList('us-east-1');
    expect(us).toMatchObject({ currency: 'USD', date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    expect(us?.instanceTypes.find((t) => t.name === 't3.micro')).toEqual({
      name: 't3.micro',
      cpu: 2,
      memoryMiB: 1024,
      hourlyPrice: '0.0104',
    });
    expect(defaultAwsPriceList('eu-west-1')?.instanceTypes).toHaveLength(us?.instanceTypes.length ?? -1);
    expect(defaultAwsPriceList('ap-south-1')).toBeUndefined();
  });
});
