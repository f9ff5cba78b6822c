import { CheckFailed, type CheckContext } from './context.js';
import { readCurrent, type CurrentFile } from './file-target.js';
import { XmlLayoutError, XmlSyntaxError } from '../text/xml-splice.js';

/** A configuration file the task edits in place; missing, the task fails with `hint`. */
export async function readExisting(ctx: CheckContext, path: string, hint: string): Promise<CurrentFile> {
  const cur = await readCurrent(ctx, path);
  if (cur !== null) return cur;
  throw new CheckFailed(`${path} does not exist: ${hint}`);
}

/** An XML edit that cannot be made, as the task's failure; the file is left as it is. */
export function xmlFailure(path: string, e: unknown): Error {
  if (e instanceof XmlSyntaxError) {
    return new CheckFailed(`${path} is not well-formed XML at line ${e.line}, column ${e.column}: ${e.reason}; it was left unchanged`);
  }
  if (e instanceof XmlLayoutError) return new CheckFailed(`${path}: ${e.message}${e.hint ? `: ${e.hint}` : ''}`);
  return e instanceof Error ? e : new Error(String(e));
}
