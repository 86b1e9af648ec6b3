/**
 * Like Promise.all, but waits for every promise to settle before it rejects (with the first
 * rejection in array order). A step that fails must not leave sibling cloud calls running in
 * the background: the rollback it queues would race them, and a create finishing after the
 * rollback looked would leak its instance.
 */
export async function settleAll<T>(promises: Promise<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
