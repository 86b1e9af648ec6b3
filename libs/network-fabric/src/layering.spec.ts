import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The library's folders in layers; a file imports from its own folder or from a lower layer only,
// so that dependencies point one way (the store knows nothing of IPAM, tags, policies or Contiv's
// control plane; those three know nothing of each other; the nftables writer reads only the compiled
// policy, never the store).
const LAYERS: readonly (readonly string[])[] = [
  ['errors', 'addressing'],
  ['model'],
  ['store'],
  ['ipam', 'tags', 'policy'],
  ['nftables'],
  ['control'],
  ['api'],
];

const src = import.meta.dirname;
const layerOf = (folder: string) => LAYERS.findIndex((l) => l.includes(folder));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((m) => m[1] ?? '');
}

describe('network-fabric layering', () => {
  const files = sources(src).filter((f) => dirname(f) !== src);

  it('puts every folder in a layer', () => {
    const folders = [...new Set(files.map((f) => relative(src, dirname(f)).split('/')[0] ?? ''))];
    expect(folders.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('imports only from the same folder or a lower layer', () => {
    const upward: string[] = [];
    for (const file of files) {
      const from = relative(src, dirname(file)).split('/')[0] ?? '';
      for (const spec of relativeImports(file)) {
        const to = relative(src, dirname(resolve(dirname(file), spec))).split('/')[0] ?? '';
        if (to !== from && layerOf(to) >= layerOf(from)) upward.push(`${relative(src, file)} -> ${spec}`);
      }
    }
    expect(upward).toEqual([]);
  });
});
