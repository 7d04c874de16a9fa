import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Root of the installed package (src/load and dist/load both sit two levels below it). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function packagePath(...segments: string[]): string {
  return join(PACKAGE_ROOT, ...segments);
}
