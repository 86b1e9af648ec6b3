import { isMap, isSeq, parseDocument } from 'yaml';

/** The user the agent runs an instance's boot as (AGENT_INSTANCE_UID 65534), by name. */
export const INSTANCE_OWNER = 'nobody:nogroup';

/**
 * The tier's cloud-config for a Linux host: every `write_files` entry that names no owner is owned
 * by the instance's user. On a VM cloud-init runs `runcmd` as root, so a tier's env file (0600) and
 * script (0700) are written root's; the host agent runs `runcmd` as an unprivileged user, which
 * must be able to read and run what the boot wrote for it. Anything else (a `#!` script, text
 * that does not parse) goes to the agent unchanged, to be judged there.
 */
export function ownedByInstanceUser(userData: string, owner = INSTANCE_OWNER): string {
  if (!/^#cloud-config[ \t]*\r?\n/.test(userData)) return userData;
  const doc = parseDocument(userData, { uniqueKeys: true });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return userData;
  const files = doc.get('write_files');
  if (!isSeq(files)) return userData;
  let changed = false;
  for (const file of files.items) {
    if (isMap(file) && !file.has('owner')) {
      file.set('owner', owner);
      changed = true;
    }
  }
  return changed ? doc.toString({ lineWidth: 0 }) : userData;
}
