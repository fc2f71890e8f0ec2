// User and group names by id, as getpwuid/getgrgid give them from the local account files:
// `ip -d` shows a tun device's owner and group by name when one exists, by number otherwise.
import { readFileSync } from 'node:fs';

function nameOf(file: string, id: number): string | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  for (const line of text.split('\n')) {
    const [name, , num] = line.split(':');
    if (num !== undefined && /^\d+$/.test(num) && Number(num) === id) return name;
  }
  return undefined;
}

/** The account name of uid `id` (/etc/passwd), or undefined. */
export const userName = (id: number, file = '/etc/passwd'): string | undefined => nameOf(file, id);
/** The group name of gid `id` (/etc/group), or undefined. */
export const groupName = (id: number, file = '/etc/group'): string | undefined => nameOf(file, id);
