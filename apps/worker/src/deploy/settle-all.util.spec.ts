import { settleAll } from './settle-all.util.js';

describe('settleAll', () => {
  it('answers every value in order', async () => {
    await expect(settleAll([Promise.resolve(1), Promise.resolve(2)])).resolves.toEqual([1, 2]);
  });

  it('rejects with the first failure in array order, only once every promise has settled', async () => {
    let slowDone = false;
    const slow = new Promise<number>((resolve) =>
      setTimeout(() => {
        slowDone = true;
        resolve(3);
      }, 30),
    );
    const early = Promise.reject(new Error('second'));
    const late = new Promise<number>((_, reject) => setTimeout(() => reject(new Error('first')), 10));
    await expect(settleAll([late, early, slow])).rejects.toThrow('first');
    expect(slowDone).toBe(true);
  });
});
