import { createTwoFilesPatch } from 'diff';
import { unknownChange, type ChangePlan } from '../modules/lib/plan.js';

/** The unified diff of every file a plan writes or removes. */
export function planDiff(plan: ChangePlan): string | undefined {
  const parts: string[] = [];
  for (const c of plan.changes) {
    switch (c.kind) {
      case 'file':
        parts.push(patch(c.path, c.before, c.after));
        break;
      case 'remove':
        if (c.before !== null) parts.push(patch(c.path, c.before, null));
        break;
      // Bytes are shown by checksum, attributes and commands by planDetails and planCommands.
      case 'upload':
      case 'dir':
      case 'attrs':
      case 'command':
        break;
      default:
        unknownChange(c);
    }
  }
  return parts.length ? parts.join('') : undefined;
}

function patch(path: string, before: string | null, after: string | null): string {
  const text = createTwoFilesPatch(before === null ? '/dev/null' : path, after === null ? '/dev/null' : path, before ?? '', after ?? '', undefined, undefined, { context: 3 });
  // Keep only the unified part: no separator line, no empty header after the file names.
  return text
    .replace(/^=+\n/m, '')
    .replace(/^Index: .*\n/m, '')
    .replace(/^(---|\+\+\+) (.*?)\t$/gm, '$1 $2');
}

/** Lines naming what changes beside the diff: attributes, directories, details from the module. */
export function planDetails(plan: ChangePlan): string[] {
  const out: string[] = [];
  for (const c of plan.changes) {
    switch (c.kind) {
      case 'file':
        if (c.details) out.push(...c.details);
        if (c.before === null) out.push(`create ${c.path}${attrText(c)}`);
        break;
      case 'dir':
        out.push(`create directory ${c.path}${attrText(c)}`);
        break;
      case 'attrs':
        for (const [k, v] of [['mode', c.mode], ['owner', c.owner], ['group', c.group]] as const) {
          if (v) out.push(`${c.path}: ${k} ${v[0]} -> ${v[1]}${c.recurse ? ' (recursive)' : ''}`);
        }
        break;
      case 'remove':
        out.push(`remove ${c.path}`);
        break;
      case 'upload':
        out.push(`${c.before === null ? 'upload' : 'replace'} ${c.path}: ${c.data.length} bytes, sha256 ${c.sha256.slice(0, 16)}…${c.before ? ` (was ${c.before.slice(0, 16)}…)` : ''}${attrText(c)}`);
        break;
      case 'command':
        if (c.details) out.push(...c.details);
        break;
      default:
        unknownChange(c);
    }
  }
  return out;
}

function attrText(c: { mode?: string; owner?: string; group?: string }): string {
  const parts = [c.mode && `mode ${c.mode}`, c.owner && `owner ${c.owner}`, c.group && `group ${c.group}`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

/** The commands a plan runs, as a user would type them. */
export function planCommands(plan: ChangePlan): string[] {
  const out: string[] = [];
  for (const c of plan.changes) {
    switch (c.kind) {
      case 'command':
        out.push(c.cmd);
        break;
      case 'file':
      case 'upload':
      case 'remove':
      case 'dir':
      case 'attrs':
        break;
      default:
        unknownChange(c);
    }
  }
  return out;
}
