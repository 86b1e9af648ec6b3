import { readdirSync, readFileSync } from 'node:fs';

export interface CatalogFile {
  file: string;
  text: string;
}

// ../catalog/ resolves to libs/blueprints/catalog from both src/catalog and dist/catalog.
const CATALOG_DIR = new URL('../../catalog/', import.meta.url);

/** The demo catalog YAML files shipped in libs/blueprints/catalog, sorted by file name. */
export function loadDemoCatalog(): CatalogFile[] {
  return readdirSync(CATALOG_DIR)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => ({ file, text: readFileSync(new URL(file, CATALOG_DIR), 'utf8') }));
}
