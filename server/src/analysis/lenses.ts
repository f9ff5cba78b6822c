import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import type { Span } from './types.js';

/** What a code lens above a play says: its hosts and how many tasks and handlers it has. */
export interface PlayLens {
  /** The play's first line. */
  span: Span;
  /** The name `--play` selects it by; undefined for a play without one. */
  play?: string;
  hosts: string[];
  tasks: number;
  handlers: number;
  title: string;
}

const MAX_HOSTS = 4;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function playLenses(a: Analysis): PlayLens[] {
  return a.plays.map(({ play, hosts }) => {
    const shown = hosts.length > MAX_HOSTS ? `${hosts.slice(0, MAX_HOSTS).join(', ')}, …` : hosts.join(', ');
    const on = hosts.length ? `${plural(hosts.length, 'host')}: ${shown}` : 'no host';
    const title = `${on} · ${plural(play.tasks.length, 'task')}${play.handlers.length ? `, ${plural(play.handlers.length, 'handler')}` : ''}`;
    const start = a.doc.text.lastIndexOf('\n', play.span.start - 1) + 1;
    return { span: { start, end: start }, ...(play.name ? { play: play.name } : {}), hosts, tasks: play.tasks.length, handlers: play.handlers.length, title };
  });
}
