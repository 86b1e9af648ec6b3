import { XMLParser } from 'fast-xml-parser';

/** A managed object reference; always written with its `type` attribute. */
export class MoRef {
  constructor(
    readonly type: string,
    readonly value: string,
  ) {}

  toString(): string {
    return `${this.type}:${this.value}`;
  }
}

/**
 * A data object in the WSDL's field order (real vCenter rejects other orders). `xsiType` is
 * written as `xsi:type` when the field's declared type is a base type or `anyType`.
 */
export interface XmlObject {
  xsiType?: string;
  fields: ReadonlyArray<readonly [string, XmlValue]>;
}

/** A primitive that must carry its xsd type (e.g. `OptionValue.value`, declared anyType). */
export interface XmlTyped {
  xsiType: string;
  text: string;
}

export type XmlValue =
  string | number | boolean | MoRef | XmlObject | XmlTyped | undefined | readonly XmlValue[];

/** Builds a data object; fields whose value is undefined are left out. */
export function obj(
  xsiType: string | undefined,
  fields: ReadonlyArray<readonly [string, XmlValue]>,
): XmlObject {
  return xsiType ? { xsiType, fields } : { fields };
}

export function xsdString(text: string): XmlTyped {
  return { xsiType: 'xsd:string', text };
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => escapes[c] ?? c);
}

export function serialize(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v: XmlValue) => serialize(name, v)).join('');
  if (value instanceof MoRef) {
    return `<${name} type="${escapeXml(value.type)}">${escapeXml(value.value)}</${name}>`;
  }
  if (typeof value === 'object' && 'text' in value) {
    return `<${name} xsi:type="${value.xsiType}">${escapeXml(value.text)}</${name}>`;
  }
  if (typeof value === 'object' && 'fields' in value) {
    const type = value.xsiType ? ` xsi:type="${value.xsiType}"` : '';
    return `<${name}${type}>${value.fields.map(([k, v]) => serialize(k, v)).join('')}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A SOAP 1.1 envelope around one vim25 method call; `this` is the method's target object. */
export function envelope(
  method: string,
  target: MoRef,
  args: ReadonlyArray<readonly [string, XmlValue]>,
): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><${method} xmlns="urn:vim25">` +
    serialize('_this', target) +
    args.map(([k, v]) => serialize(k, v)).join('') +
    `</${method}></soapenv:Body></soapenv:Envelope>`
  );
}

/** A parsed XML node: attributes as `@_name`, text as `#text`, children by local name. */
export type XmlNode = { [key: string]: XmlNode | XmlNode[] | string | undefined };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  // element prefixes vary between servers (soapenv:, soap:, SOAP-ENV:); attribute prefixes matter (xsi:type vs type)
  transformTagName: (name) => name.slice(name.indexOf(':') + 1),
});

export function parseXml(text: string): XmlNode {
  return parser.parse(text) as XmlNode;
}

export function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The one child of `node` named `name` (the first, if repeated). */
export function child(node: XmlNode | string | undefined, name: string): XmlNode | string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const value = node[name];
  return Array.isArray(value) ? value[0] : value;
}

export function children(node: XmlNode | string | undefined, name: string): Array<XmlNode | string> {
  if (node === undefined || typeof node === 'string') return [];
  return asArray(node[name]);
}

// the parser decodes named entities; numeric ones (Go's encoder writes &#34;) are ours to decode
function decodeNumeric(value: string): string {
  return value.replace(/&#(x[0-9a-fA-F]+|\d+);/g, (_, n: string) =>
    String.fromCodePoint(n.startsWith('x') ? parseInt(n.slice(1), 16) : Number(n)),
  );
}

export function text(node: XmlNode | string | undefined): string | undefined {
  if (node === undefined) return undefined;
  if (typeof node === 'string') return decodeNumeric(node);
  const t = node['#text'];
  return typeof t === 'string' ? decodeNumeric(t) : undefined;
}

/** The `xsi:type` of a node, whatever prefix the server bound the XMLSchema-instance namespace to. */
export function xsiType(node: XmlNode | string | undefined): string | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const key = Object.keys(node).find((k) => k.startsWith('@_') && k.endsWith(':type'));
  const t = key ? node[key] : undefined;
  return typeof t === 'string' ? t.slice(t.indexOf(':') + 1) : undefined;
}

/** Reads a MoRef element (`<obj type="VirtualMachine">vm-42</obj>`). */
export function moRef(node: XmlNode | string | undefined): MoRef | undefined {
  if (node === undefined || typeof node === 'string') return undefined;
  const type = node['@_type'];
  const value = text(node);
  return typeof type === 'string' && value ? new MoRef(type, value) : undefined;
}
