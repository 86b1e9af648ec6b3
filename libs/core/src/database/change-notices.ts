import { Logger } from '@nestjs/common';
import pg from 'pg';

const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 10_000;

/** What a subscriber of a channel is told. */
export interface NoticeListener {
  /** A notice on the channel (its payload; '' when none). */
  notice(payload: string): void;
  /**
   * Whether notices arrive: false when the connection is lost (notices sent meanwhile are lost
   * too), true once it listens again. Memory kept on the strength of notices is void until then.
   */
  hearing(hearing: boolean): void;
}

/**
 * Postgres LISTEN on one connection of its own per process, for every channel this process
 * subscribes to; triggers send the notices when their transactions commit. It connects on the first
 * subscription and reconnects with growing pauses; subscribers hear when it does not listen.
 * The connection's application_name is `<name>-notices:<pid>`, so it can be told apart.
 */
export class ChangeNotices {
  private readonly logger = new Logger(ChangeNotices.name);
  private readonly listeners = new Map<string, Set<NoticeListener>>();
  private client: pg.Client | undefined;
  private listening = false;
  private connecting = false;
  private retryMs = RETRY_MIN_MS;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly applicationName: string,
  ) {}

  /** Subscribes to a channel (lower-case letters, digits and _); tells at once whether it hears. */
  subscribe(channel: string, listener: NoticeListener): void {
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    const fresh = !this.listeners.has(channel);
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
    listener.hearing(false);
    if (this.closed) return;
    if (this.client && this.listening) {
      if (!fresh) return void listener.hearing(true);
      this.client.query(`LISTEN ${channel}`).then(
        () => listener.hearing(this.listening),
        (err: unknown) => this.lose(this.client!, err),
      );
    } else if (!this.connecting && !this.timer) {
      void this.connect();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.tell(false);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    this.connecting = true;
    const client = new pg.Client({
      connectionString: this.databaseUrl,
      keepAlive: true,
      application_name: `${this.applicationName}-notices:${process.pid}`,
    });
    client.on('notification', (n) => {
      for (const l of this.listeners.get(n.channel) ?? []) l.notice(n.payload ?? '');
    });
    client.on('error', (err) => this.lose(client, err));
    client.on('end', () => this.lose(client));
    this.client = client;
    try {
      await client.connect();
      for (const channel of this.listeners.keys()) await client.query(`LISTEN ${channel}`);
      if (this.client !== client || this.closed) return void client.end().catch(() => undefined);
      this.listening = true;
      this.retryMs = RETRY_MIN_MS;
      this.tell(true);
    } catch (err) {
      this.lose(client, err);
    } finally {
      this.connecting = false;
    }
  }

  private lose(client: pg.Client, err?: unknown): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.listening = false;
    this.tell(false);
    if (err) this.logger.warn({ err }, 'change notices lost; reconnecting');
    client.end().catch(() => undefined);
    if (this.closed) return;
    this.timer = setTimeout(() => void this.connect(), this.retryMs);
    this.timer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private tell(hearing: boolean): void {
    for (const set of this.listeners.values()) for (const l of set) l.hearing(hearing);
  }
}
