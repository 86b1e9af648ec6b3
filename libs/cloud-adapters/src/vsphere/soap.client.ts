import { isCloudError } from '../adapter/cloud.exception.js';
import {
  defaultRetryPolicy,
  systemClock,
  withRetry,
  type RetryClock,
  type RetryPolicy,
} from '../adapter/retry.util.js';
import type { SoapTransport } from './soap.transport.js';
import {
  child,
  envelope,
  moRef,
  parseXml,
  text,
  xsiType,
  MoRef,
  type XmlNode,
  type XmlValue,
} from './vim25-xml.js';
import { mapVsphereFault, mapVsphereTransport } from './vsphere-fault.mapper.js';

/** The parts of ServiceContent the adapter uses. */
export interface ServiceContent {
  rootFolder: MoRef;
  propertyCollector: MoRef;
  viewManager: MoRef;
  sessionManager: MoRef;
}

const serviceInstance = new MoRef('ServiceInstance', 'ServiceInstance');

export interface SoapClientOptions {
  username: string;
  password: string;
  retry?: RetryPolicy;
  clock?: RetryClock;
}

/**
 * A small vim25 client: document/literal envelopes, the `vmware_soap_session` cookie, faults
 * mapped by `xsi:type`, retry of transient failures, and one re-login when a session expires.
 */
export class SoapClient {
  private cookie: string | undefined;
  private content: Promise<ServiceContent> | undefined;
  private loggedIn: Promise<void> | undefined;

  constructor(
    private readonly transport: SoapTransport,
    private readonly options: SoapClientOptions,
  ) {}

  serviceContent(): Promise<ServiceContent> {
    this.content ??= this.raw('RetrieveServiceContent', serviceInstance, []).then((r) => {
      const ref = (name: string) => {
        const value = moRef(child(r, name));
        if (!value) throw new Error(`ServiceContent lacks ${name}`);
        return value;
      };
      return {
        rootFolder: ref('rootFolder'),
        propertyCollector: ref('propertyCollector'),
        viewManager: ref('viewManager'),
        sessionManager: ref('sessionManager'),
      };
    });
    this.content.catch(() => (this.content = undefined));
    return this.content;
  }

  /** Logs in once; concurrent callers share the same login. */
  login(): Promise<void> {
    this.loggedIn ??= (async () => {
      const { sessionManager } = await this.serviceContent();
      await this.raw('Login', sessionManager, [
        ['userName', this.options.username],
        ['password', this.options.password],
      ]);
    })();
    this.loggedIn.catch(() => (this.loggedIn = undefined));
    return this.loggedIn;
  }

  async logout(): Promise<void> {
    if (!this.cookie) return;
    const { sessionManager } = await this.serviceContent();
    await this.raw('Logout', sessionManager, []).catch(() => undefined);
    this.cookie = undefined;
    this.loggedIn = undefined;
  }

  /**
   * Calls a method in a session; returns the response's `returnval` (undefined for void methods).
   * `retry` must be false for calls that change state: a lost answer is not proof of no effect.
   */
  async call(
    method: string,
    target: MoRef,
    args: ReadonlyArray<readonly [string, XmlValue]>,
    retry = true,
  ): Promise<XmlNode | string | undefined> {
    const policy = this.options.retry ?? defaultRetryPolicy;
    return withRetry(
      async () => {
        await this.login();
        try {
          return await this.raw(method, target, args);
        } catch (error) {
          if (!(isCloudError(error) && error.cloudCode === 'NotAuthenticated')) throw error;
          // the session expired on the server: log in again and repeat once
          this.loggedIn = undefined;
          this.cookie = undefined;
          await this.login();
          return await this.raw(method, target, args);
        }
      },
      retry ? policy : { ...policy, maxAttempts: 1 },
      this.options.clock ?? systemClock,
    );
  }

  private async raw(
    method: string,
    target: MoRef,
    args: ReadonlyArray<readonly [string, XmlValue]>,
  ): Promise<XmlNode | string | undefined> {
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      soapaction: 'urn:vim25/6.5',
    };
    if (this.cookie) headers.cookie = this.cookie;
    const res = await this.transport.post(envelope(method, target, args), headers);
    const session = res.setCookie.find((c) => c.startsWith('vmware_soap_session='));
    if (session) this.cookie = session.split(';')[0];

    let doc: XmlNode | undefined;
    try {
      doc = parseXml(res.body);
    } catch {
      doc = undefined;
    }
    const body = child(child(doc, 'Envelope'), 'Body');
    const fault = child(body, 'Fault');
    if (fault !== undefined) {
      const detail = child(fault, 'detail');
      const first =
        detail && typeof detail !== 'string'
          ? Object.entries(detail).find(([k]) => !k.startsWith('@_') && k !== '#text')
          : undefined;
      const node = Array.isArray(first?.[1]) ? first[1][0] : first?.[1];
      const type =
        xsiType(node) ?? first?.[0].replace(/Fault$/, '') ?? text(child(fault, 'faultcode')) ?? 'Fault';
      throw mapVsphereFault(type, text(child(fault, 'faultstring')) ?? '', res.status);
    }
    if (res.status !== 200 || body === undefined) {
      throw mapVsphereTransport('vsphere', res.status, undefined, res.retryAfter);
    }
    return child(child(body, `${method}Response`), 'returnval');
  }
}
