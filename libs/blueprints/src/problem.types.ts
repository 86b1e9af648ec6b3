export interface Problem {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export type PathKey = string | number;

export function joinPath(base: string, key: PathKey): string {
  return base === '' ? String(key) : `${base}.${key}`;
}
