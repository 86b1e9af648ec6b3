// `npm test`'s check of the API contract: the OpenAPI document generated offline from the build
// (no database, no server) must lint clean with the repository's redocly.yaml, and the web's
// committed snapshot (apps/web/openapi.json, which its client types come from) must equal it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';

/** Returns a message saying what is wrong, or undefined. */
export function checkOpenApi(root) {
  const dir = mkdtempSync(join(tmpdir(), 'syd-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    const run = (args, env = process.env) =>
      spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env }).status === 0;
    if (!run([resolve(root, 'apps/api/dist/openapi/openapi-export.js'), file]))
      return 'could not generate the OpenAPI document';
    const quiet = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
    const redocly = resolve(root, 'node_modules/.bin/redocly');
    if (
      !run([redocly, 'lint', file, '--config', resolve(root, 'redocly.yaml'), '--format', 'stylish'], quiet)
    )
      return 'the OpenAPI document has lint errors (above)';
    const generated = JSON.parse(readFileSync(file, 'utf8'));
    const snapshot = JSON.parse(readFileSync(resolve(root, 'apps/web/openapi.json'), 'utf8'));
    if (!isDeepStrictEqual(generated, snapshot))
      return (
        'apps/web/openapi.json differs from the API: refresh it and the web types with ' +
        '`npm run -w apps/web gen:api -- --from-build` (after npm run build)'
      );
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
