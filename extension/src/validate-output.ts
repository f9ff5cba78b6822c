import { resolve } from 'node:path';

/** One line of `amq-run validate`: `FILE:LINE:COL: error|warning: MESSAGE (hint)`. */
export interface Finding {
  /** Absolute. */
  file: string;
  /** 1-based, as printed. */
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
}

const LINE = /^(.+?):(\d+):(\d+): (error|warning): (.+)$/;

/** The findings in validate's output; FILE is relative to the folder it ran in, `cwd`. */
export function parseValidateOutput(stdout: string, cwd: string): Finding[] {
  return stdout.split(/\r?\n/).flatMap((l) => {
    const m = LINE.exec(l);
    return m ? [{ file: resolve(cwd, m[1]), line: Number(m[2]), column: Number(m[3]), severity: m[4] as Finding['severity'], message: m[5] }] : [];
  });
}
