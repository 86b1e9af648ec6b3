import type { Client, Reply } from './http.js';

/** Contiv's REST paths on a running API, as netctl calls them. */
export class Contiv {
  constructor(readonly http: Client) {}

  as(token: string): Contiv {
    return new Contiv(this.http.as(token));
  }

  path(collection: string, key?: string): string {
    return `/netmaster/api/v1/${collection}/${key === undefined ? '' : `${key}/`}`;
  }

  create(collection: string, key: string, body: object): Promise<Reply> {
    return this.http.post(this.path(collection, key), body);
  }

  get(collection: string, key: string): Promise<Reply> {
    return this.http.get(this.path(collection, key));
  }

  list(collection: string): Promise<Reply> {
    return this.http.get(this.path(collection));
  }

  inspect(collection: string, key: string): Promise<Reply> {
    return this.http.get(`/netmaster/api/v1/inspect/${collection}/${key}/`);
  }

  remove(collection: string, key: string): Promise<Reply> {
    return this.http.delete(this.path(collection, key));
  }

  plugin(call: 'allocAddress' | 'releaseAddress' | 'createEndpoint' | 'deleteEndpoint', body: object) {
    return this.http.post(`/netmaster/plugin/${call}`, body);
  }
}

/** A user of `role` in `tenant` and a token for it (the admin client creates both). */
export async function tokenFor(admin: Client, tenant: string, role: string, name: string): Promise<string> {
  const user = await admin.post('/api/v1/users', { name, role, tenant });
  if (user.status !== 201) throw new Error(`user: ${user.status} ${user.text}`);
  const token = await admin.post('/api/v1/tokens', { name: `${name}-token`, userId: user.body.id });
  if (token.status !== 201) throw new Error(`token: ${token.status} ${token.text}`);
  return token.body.token as string;
}

/** A tenant name no other test file (or earlier run) uses. */
export function uniqueTenant(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}
