/** Follows a cloud's continuation token until the last page; `limit` guards against endless loops. */
export async function collectPages<T>(
  fetchPage: (token: string | undefined) => Promise<{ items: readonly T[]; next?: string | undefined }>,
  limit = 1_000,
): Promise<T[]> {
  const all: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < limit; page++) {
    const { items, next } = await fetchPage(token);
    all.push(...items);
    if (!next || next === token) return all;
    token = next;
  }
  throw new Error(`pagination did not end after ${limit} pages`);
}
