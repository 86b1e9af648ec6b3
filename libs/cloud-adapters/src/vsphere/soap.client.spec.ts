import { CloudErrorCode } from '../adapter/cloud.exception.js';
import type { RetryClock } from '../adapter/retry.util.js';
import { runTask } from './property-collector.js';
import { SoapClient } from './soap.client.js';
import { MoRef } from './vim25-xml.js';
import type { SoapHttpResponse, SoapTransport } from './soap.transport.js';

/** One expected SOAP call: the method it must be, and the answer the fake gives. */
interface ExpectedCall {
  method: string;
  reply: SoapHttpResponse;
}

/**
 * A strict fake of the SOAP transport for unit tests: calls must come in the scripted order,
 * and any call beyond the script fails the test.
 */
class StrictFakeSoapTransport implements SoapTransport {
  readonly sent: Array<{ body: string; headers: Record<string, string> }> = [];

  constructor(private readonly script: ExpectedCall[]) {}

  post(body: string, headers: Record<string, string>): Promise<SoapHttpResponse> {
    this.sent.push({ body, headers });
    const next = this.script.shift();
    const method = /<soapenv:Body><(\w+)/.exec(body)?.[1];
    if (!next) return Promise.reject(new Error(`unexpected SOAP call ${method ?? '?'}`));
    if (next.method !== method)
      return Promise.reject(new Error(`expected ${next.method}, got ${method ?? '?'}`));
    return Promise.resolve(next.reply);
  }

  close(): void {}

  get remaining(): number {
    return this.script.length;
  }
}

const envelope = (inner: string) =>
  '<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${inner}</soapenv:Body></soapenv:Envelope>`;

function ok(method: string, returnval = '', setCookie: string[] = []): ExpectedCall {
  return {
    method,
    reply: {
      status: 200,
      setCookie,
      body: envelope(`<${method}Response xmlns="urn:vim25">${returnval}</${method}Response>`),
    },
  };
}

function fault(method: string, type: string, message: string): ExpectedCall {
  return {
    method,
    reply: {
      status: 500,
      setCookie: [],
      body: envelope(
        `<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${message}</faultstring>` +
          `<detail><${type}Fault xmlns="urn:vim25" xsi:type="${type}"></${type}Fault></detail></soapenv:Fault>`,
      ),
    },
  };
}

const serviceContent = ok(
  'RetrieveServiceContent',
  '<returnval><rootFolder type="Folder">group-d1</rootFolder><propertyCollector type="PropertyCollector">propertyCollector</propertyCollector>' +
    '<viewManager type="ViewManager">ViewManager</viewManager><sessionManager type="SessionManager">SessionManager</sessionManager></returnval>',
);

const login = ok('Login', '<returnval><key>s1</key></returnval>', [
  'vmware_soap_session="abc"; Path=/; HttpOnly',
]);

/** A RetrievePropertiesEx answer carrying one task's `info`. */
function taskInfo(state: string, extra = ''): ExpectedCall {
  return ok(
    'RetrievePropertiesEx',
    `<returnval><objects><obj type="Task">task-7</obj><propSet><name>info</name><val xsi:type="TaskInfo">` +
      `<key>task-7</key><state>${state}</state>${extra}</val></propSet></objects></returnval>`,
  );
}

const clock: RetryClock = { now: () => 0, sleep: () => Promise.resolve(), random: () => 0 };
const vm = new MoRef('VirtualMachine', 'vm-42');

function client(transport: StrictFakeSoapTransport): SoapClient {
  return new SoapClient(transport, {
    username: 'u',
    password: 'p<&>',
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    clock,
  });
}

describe('SoapClient', () => {
  it('logs in once, then sends the session cookie, SOAPAction and typed MoRefs', async () => {
    const t = new StrictFakeSoapTransport([
      serviceContent,
      login,
      ok('PowerOnVM_Task', '<returnval type="Task">task-7</returnval>'),
    ]);
    await client(t).call('PowerOnVM_Task', vm, []);
    expect(t.sent[1]?.body).toContain(
      '<_this type="SessionManager">SessionManager</_this><userName>u</userName><password>p&lt;&amp;&gt;</password>',
    );
    expect(t.sent[2]?.headers).toMatchObject({
      cookie: 'vmware_soap_session="abc"',
      soapaction: 'urn:vim25/6.5',
    });
    expect(t.sent[2]?.body).toContain(
      '<PowerOnVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-42</_this></PowerOnVM_Task>',
    );
    expect(t.remaining).toBe(0);
  });

  it('maps faults by xsi:type: InvalidLogin is AuthFailed', async () => {
    const t = new StrictFakeSoapTransport([
      serviceContent,
      fault('Login', 'InvalidLogin', 'Cannot complete login'),
    ]);
    await expect(client(t).login()).rejects.toMatchObject({
      code: CloudErrorCode.AuthFailed,
      cloudCode: 'InvalidLogin',
    });
  });

  it('logs in again once when the session has expired', async () => {
    const t = new StrictFakeSoapTransport([
      serviceContent,
      login,
      fault('DestroyView', 'NotAuthenticated', 'session gone'),
      login,
      ok('DestroyView'),
    ]);
    await expect(
      client(t).call('DestroyView', new MoRef('ContainerView', 'v1'), []),
    ).resolves.toBeUndefined();
    expect(t.remaining).toBe(0);
  });

  it('retries a 429 after the pause the server asked for', async () => {
    const slept: number[] = [];
    const t = new StrictFakeSoapTransport([
      serviceContent,
      login,
      { method: 'DestroyView', reply: { status: 429, setCookie: [], body: 'busy', retryAfter: '3' } },
      ok('DestroyView'),
    ]);
    const soap = new SoapClient(t, {
      username: 'u',
      password: 'p',
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      clock: { ...clock, sleep: (ms) => (slept.push(ms), Promise.resolve()) },
    });
    await soap.call('DestroyView', new MoRef('ContainerView', 'v1'), []);
    expect(slept).toEqual([3_000]);
  });

  it('never repeats a state-changing call whose answer was lost', async () => {
    const t = new StrictFakeSoapTransport([
      serviceContent,
      login,
      { method: 'CloneVM_Task', reply: { status: 503, setCookie: [], body: '' } },
    ]);
    await expect(client(t).call('CloneVM_Task', vm, [], false)).rejects.toMatchObject({
      code: CloudErrorCode.Unavailable,
    });
    expect(t.remaining).toBe(0);
  });
});

describe('runTask (tasks awaited through the PropertyCollector)', () => {
  const start = ok('CloneVM_Task', '<returnval type="Task">task-7</returnval>');

  it('follows queued and running until success and returns the result', async () => {
    const t = new StrictFakeSoapTransport([
      serviceContent,
      login,
      start,
      taskInfo('queued'),
      taskInfo('running', '<progress>40</progress>'),
      taskInfo('success', '<result type="VirtualMachine">vm-43</result>'),
    ]);
    const result = await runTask(client(t), 'CloneVM_Task', vm, [], { clock });
    expect(result).toMatchObject({ '#text': 'vm-43', '@_type': 'VirtualMachine' });
    expect(t.remaining).toBe(0);
  });

  it('turns a task error into the mapped fault', async () => {
    const t = new StrictFakeSoapTransport([
      serviceContent,
      login,
      start,
      taskInfo('running'),
      taskInfo(
        'error',
        '<error><fault xsi:type="InsufficientResourcesFault"></fault><localizedMessage>no room</localizedMessage></error>',
      ),
    ]);
    await expect(runTask(client(t), 'CloneVM_Task', vm, [], { clock })).rejects.toMatchObject({
      code: CloudErrorCode.CapacityUnavailable,
      cloudCode: 'InsufficientResourcesFault',
      cloudMessage: 'no room',
    });
  });
});
