/** Numeric parts of a version compare as numbers (1.10.0 after 1.9.0); missing versions go first. */
function compareVersions(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The order of `syd blueprint ls`: by name, then by latest version. */
export function byNameThenVersion(
  a: { name: string; latestVersion: string | null },
  b: { name: string; latestVersion: string | null },
): number {
  return a.name.localeCompare(b.name, 'en') || compareVersions(a.latestVersion, b.latestVersion);
}
