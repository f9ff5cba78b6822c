import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The project root (tests run from out/test/...). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const fixture = (...p: string[]) => join(ROOT, 'test', 'fixtures', ...p);
export const playbook = (...p: string[]) => join(ROOT, 'playbooks', ...p);
export const AMQ_RUN = join(ROOT, 'bin', 'amq-run.js');
