import { LineCounter, parseDocument, type Document } from 'yaml';
import type { Diagnostic } from './diagnostics.js';
import { explainIndentation, isIndentationError } from './indentation.js';

export interface RunbookDoc {
  text: string;
  yaml: Document.Parsed;
  lines: LineCounter;
  /** YAML syntax errors; a document with any is not analysed further than its structure allows. */
  syntax: Diagnostic[];
}

const cache = new Map<string, RunbookDoc>();
const CACHE_SIZE = 32;

export function clearParseCache(): void {
  cache.clear();
}

export const YAML_OPTIONS = { keepSourceTokens: false, prettyErrors: false, uniqueKeys: true, merge: false } as const;

/** Parses YAML keeping every node's source range. Never throws. */
export function parseRunbook(text: string): RunbookDoc {
  const hit = cache.get(text);
  if (hit) return hit;
  const lines = new LineCounter();
  const yaml = withoutStacks(() => parseDocument(text, { lineCounter: lines, ...YAML_OPTIONS }));
  // An error found at the end of the file is shown on its last character, not past it.
  const last = Math.max(0, text.trimEnd().length - 1);
  const syntax: Diagnostic[] = [];
  for (const e of [...yaml.errors, ...yaml.warnings]) {
    const at = e.pos[0] > last ? last : e.pos[0];
    if (isIndentationError(e.code, e.message)) {
      const x = explainIndentation(text, e.code, at);
      // One diagnostic for each line indented wrongly, however many errors the parser saw there.
      if (!syntax.some((d) => d.code === 'indentation' && d.span.start === x.span.start)) syntax.push({ ...x, severity: 'error', code: 'indentation' });
      continue;
    }
    syntax.push({
      span: e.pos[0] > last ? { start: last, end: last + 1 } : { start: e.pos[0], end: Math.max(e.pos[1], e.pos[0]) },
      severity: e.name === 'YAMLWarning' ? 'warning' : 'error',
      code: e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
      message: e.code === 'DUPLICATE_KEY' ? 'duplicate key' : `YAML: ${firstLine(e.message)}`,
      hint: e.code === 'DUPLICATE_KEY' ? 'each key may appear once in a mapping' : syntaxHint(e.code),
    });
  }
  const doc = { text, yaml, lines, syntax };
  cache.set(text, doc);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  return doc;
}

/**
 * Runs `f` with no stack traces captured for the errors made meanwhile: YAML errors are reported
 * by position, and a broken file can make a thousand of them, whose stacks cost more than the parse.
 */
export function withoutStacks<T>(f: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return f();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
}

function syntaxHint(code: string): string {
  switch (code) {
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation and the closing bracket or quote';
    case 'TAB_AS_INDENT':
      return 'indent with spaces, not tabs';
    case 'MULTIPLE_DOCS':
      return 'a runbook is one YAML document';
    default:
      return 'fix the YAML syntax first';
  }
}
