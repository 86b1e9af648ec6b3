import https from 'node:https';

const envelope = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unesc = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The vim25 managed object types whose names the inspector lists. */
export type Vim25Kind = 'VirtualMachine' | 'DistributedVirtualPortgroup' | 'Network';

/**
 * Reads vCenter's (vcsim's) inventory over the raw vim25 SOAP API, written here from the API's
 * documentation rather than through Switchyard's adapter, so a test sees what is really there.
 */
export class Vim25Reader {
  private cookie = '';
  private refs: Record<string, string> = {};

  private constructor(
    private readonly url: string,
    private readonly ca: string | undefined,
  ) {}

  static async login(url: string, username: string, password: string, ca?: string): Promise<Vim25Reader> {
    const reader = new Vim25Reader(url, ca);
    const content = await reader.call(
      'RetrieveServiceContent',
      '<_this type="ServiceInstance">ServiceInstance</_this>',
    );
    for (const name of ['propertyCollector', 'rootFolder', 'sessionManager', 'viewManager']) {
      const ref = new RegExp(`<${name} type="\\w+">([^<]+)</${name}>`).exec(content)?.[1];
      if (!ref) throw new Error(`vim25: no ${name} in the service content`);
      reader.refs[name] = ref;
    }
    await reader.call(
      'Login',
      `<_this type="SessionManager">${reader.refs.sessionManager}</_this>` +
        `<userName>${esc(username)}</userName><password>${esc(password)}</password>`,
    );
    return reader;
  }

  /** The names of every object of a type in the inventory (through a container view of the root). */
  async names(kind: Vim25Kind): Promise<string[]> {
    const view = /<returnval type="ContainerView">([^<]+)<\/returnval>/.exec(
      await this.call(
        'CreateContainerView',
        `<_this type="ViewManager">${this.refs.viewManager}</_this>` +
          `<container type="Folder">${this.refs.rootFolder}</container><type>${kind}</type><recursive>true</recursive>`,
      ),
    )?.[1];
    if (!view) throw new Error('vim25: CreateContainerView returned no view');
    try {
      const out = await this.call(
        'RetrievePropertiesEx',
        `<_this type="PropertyCollector">${this.refs.propertyCollector}</_this><specSet>` +
          `<propSet><type>${kind}</type><pathSet>name</pathSet></propSet>` +
          `<objectSet><obj type="ContainerView">${view}</obj><skip>true</skip>` +
          '<selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path><skip>false</skip></selectSet>' +
          '</objectSet></specSet><options><maxObjects>10000</maxObjects></options>',
      );
      // more than one page would need ContinueRetrievePropertiesEx: say so rather than miss objects
      if (/<token>/.test(out)) throw new Error(`vim25: more ${kind} objects than one page`);
      return [...out.matchAll(/<val[^>]*>([^<]*)<\/val>/g)].map((m) => unesc(m[1]!));
    } finally {
      await this.call('DestroyView', `<_this type="ContainerView">${view}</_this>`);
    }
  }

  /**
   * Every VM's extraConfig (where the adapter puts cloud-init's guestinfo), by the VM's managed
   * object id (what the adapter answers as the instance's id) and by its name.
   */
  async vmExtraConfig(): Promise<Map<string, Record<string, string>>> {
    const out = new Map<string, Record<string, string>>();
    for (const object of await this.objects('VirtualMachine', ['name', 'config.extraConfig'])) {
      const id = /<obj type="VirtualMachine">([^<]+)<\/obj>/.exec(object)?.[1] ?? '';
      const name = /<name>name<\/name><val[^>]*>([^<]*)<\/val>/.exec(object)?.[1];
      const options: Record<string, string> = {};
      for (const m of object.matchAll(/<key>([^<]*)<\/key><value[^>]*>([^<]*)<\/value>/g))
        options[unesc(m[1]!)] = unesc(m[2]!);
      out.set(id, options);
      if (name !== undefined) out.set(unesc(name), options);
    }
    return out;
  }

  /** The `<objects>` of every object of a type, with the properties asked for. */
  private async objects(kind: Vim25Kind, paths: string[]): Promise<string[]> {
    const view = /<returnval type="ContainerView">([^<]+)<\/returnval>/.exec(
      await this.call(
        'CreateContainerView',
        `<_this type="ViewManager">${this.refs.viewManager}</_this>` +
          `<container type="Folder">${this.refs.rootFolder}</container><type>${kind}</type><recursive>true</recursive>`,
      ),
    )?.[1];
    if (!view) throw new Error('vim25: CreateContainerView returned no view');
    try {
      const out = await this.call(
        'RetrievePropertiesEx',
        `<_this type="PropertyCollector">${this.refs.propertyCollector}</_this><specSet>` +
          `<propSet><type>${kind}</type>${paths.map((p) => `<pathSet>${p}</pathSet>`).join('')}</propSet>` +
          `<objectSet><obj type="ContainerView">${view}</obj><skip>true</skip>` +
          '<selectSet xsi:type="TraversalSpec"><type>ContainerView</type><path>view</path><skip>false</skip></selectSet>' +
          '</objectSet></specSet><options><maxObjects>10000</maxObjects></options>',
      );
      if (/<token>/.test(out)) throw new Error(`vim25: more ${kind} objects than one page`);
      return [...out.matchAll(/<objects>([\s\S]*?)<\/objects>/g)].map((m) => m[1]!);
    } finally {
      await this.call('DestroyView', `<_this type="ContainerView">${view}</_this>`);
    }
  }

  private call(method: string, body: string): Promise<string> {
    const payload = envelope(`<${method} xmlns="urn:vim25">${body}</${method}>`);
    return new Promise((resolve, reject) => {
      const req = https.request(
        this.url,
        {
          method: 'POST',
          ...(this.ca ? { ca: this.ca } : {}),
          headers: {
            'content-type': 'text/xml; charset=utf-8',
            soapaction: 'urn:vim25/8.0',
            ...(this.cookie ? { cookie: this.cookie } : {}),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            const session = res.headers['set-cookie']?.find((c) => c.startsWith('vmware_soap_session'));
            if (session) this.cookie = session.split(';')[0]!;
            if (res.statusCode !== 200)
              reject(new Error(`vim25 ${method}: HTTP ${res.statusCode} ${text.slice(0, 500)}`));
            else resolve(text);
          });
        },
      );
      req.on('error', reject);
      req.on('timeout', () => req.destroy(new Error(`vim25 ${method}: no answer in 30 s`)));
      req.end(payload);
    });
  }
}
