import { cloneSpec } from './vsphere-specs.js';
import { MoRef, obj, parseXml, serialize, text, xsdString, xsiType, child } from './vim25-xml.js';

describe('vim25 XML', () => {
  it('writes fields in the given (WSDL) order with xsi:type where declared', () => {
    const xml = serialize(
      'spec',
      cloneSpec(
        { folder: new MoRef('Folder', 'f1'), pool: new MoRef('ResourcePool', 'rp1') },
        { numCPUs: 2, memoryMB: 4096, extraConfig: { k: 'a"b' } },
      ),
    );
    expect(xml).toBe(
      '<spec><location><folder type="Folder">f1</folder><pool type="ResourcePool">rp1</pool></location>' +
        '<template>false</template><config><numCPUs>2</numCPUs><memoryMB>4096</memoryMB>' +
        '<extraConfig><key>k</key><value xsi:type="xsd:string">a&quot;b</value></extraConfig></config>' +
        '<powerOn>false</powerOn></spec>',
    );
  });

  it('skips undefined fields and repeats arrays', () => {
    expect(
      serialize(
        'x',
        obj('T', [
          ['a', undefined],
          ['b', [1, 2]],
          ['c', xsdString('s')],
        ]),
      ),
    ).toBe('<x xsi:type="T"><b>1</b><b>2</b><c xsi:type="xsd:string">s</c></x>');
  });

  it("reads xsi:type under any prefix and decodes Go's numeric entities", () => {
    const doc = parseXml(
      '<r xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance"><v XMLSchema-instance:type="xsd:string">{&#34;a&#34;:1}</v></r>',
    );
    const v = child(child(doc, 'r'), 'v');
    expect(xsiType(v)).toBe('string');
    expect(text(v)).toBe('{"a":1}');
  });
});
