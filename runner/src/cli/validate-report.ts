import { relative } from 'node:path';
import type { Analysis } from '../runbook/analyze.js';
import type { Diagnostic } from '../runbook/diagnostics.js';
import { RULES } from '../runbook/rules.js';

/** Where a diagnostic is: its file (as given, or the inventory's) and 1-based line and column range. */
export interface Located {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  d: Diagnostic;
}

export interface Summary {
  plays: number;
  tasks: number;
  hosts: number;
  errors: number;
  warnings: number;
}

/** A path for reports: relative to the current folder when it is under it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel.startsWith('..') || rel === '' ? path : rel;
}

export function locate(a: Analysis, playbookPath: string): Located[] {
  return a.diagnostics.map((d) => {
    const doc = d.file !== undefined ? a.inventoryDoc : a.doc;
    const start = doc?.lines.linePos(d.span.start) ?? { line: 1, col: 1 };
    const end = doc?.lines.linePos(Math.max(d.span.end, d.span.start)) ?? start;
    return { file: shownPath(d.file ?? playbookPath), line: start.line, column: start.col, endLine: end.line, endColumn: end.col, d };
  });
}

export function summarize(a: Analysis): Summary {
  const errors = a.diagnostics.filter((d) => d.severity === 'error').length;
  return {
    plays: a.plays.length,
    tasks: a.plays.reduce((n, p) => n + p.play.tasks.length, 0),
    hosts: new Set(a.plays.flatMap((p) => p.hosts)).size,
    errors,
    warnings: a.diagnostics.length - errors,
  };
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** The last line of a text report: `ok: 3 plays, 14 tasks, 4 hosts, 0 warnings`, or the counts of problems. */
export function summaryLine(s: Summary): string {
  if (s.errors) return `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}`;
  return `ok: ${plural(s.plays, 'play')}, ${plural(s.tasks, 'task')}, ${plural(s.hosts, 'host')}, ${plural(s.warnings, 'warning')}`;
}

/** `--format json`: one object. */
export function jsonReport(located: Located[], s: Summary): object {
  return {
    ok: s.errors === 0,
    summary: s,
    diagnostics: located.map((l) => ({
      file: l.file,
      line: l.line,
      column: l.column,
      end_line: l.endLine,
      end_column: l.endColumn,
      severity: l.d.severity,
      rule: l.d.code,
      message: l.d.message,
      ...(l.d.hint ? { hint: l.d.hint } : {}),
    })),
  };
}

/** `--format sarif`: SARIF 2.1.0, for code scanning in CI. */
export function sarifReport(located: Located[], version: string): object {
  const ids = Object.keys(RULES) as (keyof typeof RULES)[];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'amq-run',
            version,
            informationUri: 'https://github.com/amq-runbook/amq-runbook',
            rules: ids.map((id) => ({ id, shortDescription: { text: RULES[id] } })),
          },
        },
        results: located.map((l) => ({
          ruleId: l.d.code,
          ruleIndex: ids.indexOf(l.d.code),
          level: l.d.severity,
          message: { text: l.d.hint ? `${l.d.message} (${l.d.hint})` : l.d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: l.file.split('\\').join('/') },
                region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: Math.max(l.endColumn, l.endLine === l.line ? l.column + 1 : 1) },
              },
            },
          ],
        })),
      },
    ],
  };
}
