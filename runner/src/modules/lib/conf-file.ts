import { CheckFailed, type CheckContext } from './context.js';
import { planOf, readCurrent, writeChange, type CurrentFile } from './file-target.js';
import type { WantedAttrs } from './attrs.js';
import { XmlLayoutError, XmlSyntaxError, type XmlEdit } from '../text/xml-splice.js';
import type { Plan } from './plan.js';

export const INSTALL_FIRST = "install ActiveMQ first, or point conf at the instance's activemq.xml (Debian: /etc/activemq/instances-available/main/activemq.xml)";

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

export interface XmlEditTask {
  path: string;
  /** What to do when the file is missing (the failure's hint). */
  missing: string;
  backup: boolean;
  /** The pure edit of the file's text. */
  edit(text: string): XmlEdit;
  /** The summary of a change, from the edit. */
  summary(e: XmlEdit): string;
  /** The note when the file already is as wanted. */
  note: string;
  /** Owner, group and mode the file must have (each left as it is when not given). */
  attrs?: WantedAttrs;
}

/** An XML file edited in place: read it, apply the pure edit, plan one write (or nothing). */
export async function planXmlEdit(ctx: CheckContext, t: XmlEditTask): Promise<Plan> {
  const cur = await readExisting(ctx, t.path, t.missing);
  let edit: XmlEdit;
  try {
    edit = t.edit(cur.text);
  } catch (e) {
    throw xmlFailure(t.path, e);
  }
  const write = await writeChange(ctx, t.path, cur, edit.text, t.attrs ?? {}, { backup: t.backup, details: edit.details });
  return planOf(t.path, write, { summary: t.summary(edit), note: t.note });
}

/** "edit PATH: what", naming the one setting or counting them. */
export function editSummary(path: string, e: XmlEdit): string {
  return `edit ${path}: ${e.details.length === 1 ? e.details[0] : `${e.details.length} settings`}`;
}
