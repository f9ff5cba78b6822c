import assert from 'node:assert/strict';
import { catalog } from '../../runner/src/modules/index.js';
import { renderModuleDoc, renderParamDoc } from '../../runner/src/modules/lib/docs.js';
import { playKeys } from '../../runner/src/runbook/schema.js';
import { hover } from '../../server/src/analysis/hover.js';
import { editedSite } from '../helpers/site.js';

function hoverAt(find: string, marked: string) {
  const { a, text, offset } = editedSite(find, marked);
  const h = hover(a, text, offset, catalog);
  return h && { ...h, text: text.slice(h.span.start, h.span.end) };
}

describe('hover', () => {
  it('a module key shows the same docs as `amq-run modules NAME`', () => {
    const h = hoverAt('        nfs_export:', '        nfs_ex^port:')!;
    assert.equal(h.markdown, renderModuleDoc(catalog.get('nfs_export')!));
    assert.equal(h.text, 'nfs_export');
  });

  it('a parameter: type, default, allowed values', () => {
    const h = hoverAt('          format: exports', '          for^mat: exports')!;
    assert.equal(h.markdown, renderParamDoc('format', catalog.get('nfs_export')!.params.format));
    assert.match(h.markdown, /default exports/);
    assert.match(h.markdown, /one of: `exports`, `ganesha`/);
    const value = hoverAt('          format: exports', '          format: expo^rts')!;
    assert.equal(value.markdown, h.markdown, 'on the value, the parameter it sets');
    const flow = hoverAt("service: { name: activemq, state: restarted }", "service: { name: activemq, st^ate: restarted }")!;
    assert.equal(flow.markdown, renderParamDoc('state', catalog.get('service')!.params.state));
  });

  it('a play key', () => {
    const h = hoverAt('    serial: 1', '    ser^ial: 1')!;
    assert.equal(h.markdown, renderParamDoc('serial', playKeys.serial));
  });

  it("a variable's value and where it is defined", () => {
    const h = hoverAt('path: "{{ export_dir }}"', 'path: "{{ export^_dir }}"')!;
    assert.equal(h.markdown, '**export_dir** (variable)\n\n`/data/activemq-data`: playbook vars (line 5)');
    assert.equal(h.text, 'export_dir');
  });

  it('per host when the value differs between the hosts of the play', () => {
    const h = hoverAt('broker_name: "{{ broker_name }}"', 'broker_name: "{{ broker^_name }}"')!;
    assert.equal(
      h.markdown,
      '**broker_name** (variable), per host:\n\n- broker1: `broker1`: vars of host broker1 (inventory.yaml:4)\n- broker2: `broker2`: vars of host broker2 (inventory.yaml:5)',
    );
  });

  it('a group variable, a play variable and a secret', () => {
    assert.match(hoverAt('port: "{{ openwire_port }}"', 'port: "{{ openwire^_port }}"')!.markdown, /`61616`: vars of group brokers \(inventory\.yaml:9\)/);
    assert.match(hoverAt('kahadb_directory: "{{ store }}"', 'kahadb_directory: "{{ sto^re }}"')!.markdown, /`\/shared\/activemq-data\/kahadb`: play vars of 'Configure the brokers' \(line 36\)/);
    assert.match(hoverAt('password: "{{ admin_password }}"', 'password: "{{ admin^_password }}"')!.markdown, /secret.*AMQ_ADMIN_PASSWORD/);
  });

  it("a host's address and groups; a group's hosts", () => {
    const host = hoverAt('hosts: nfs\n', 'hosts: [nf^s1]\n')!;
    assert.equal(host.markdown, '**nfs1** (host) (inventory.yaml:3)\n\naddress `192.168.10.191`, port 22, user `root`\n\ngroups: all, nfs');
    const group = hoverAt('hosts: brokers', 'hosts: bro^kers')!;
    assert.equal(group.markdown, '**brokers** (group)\n\nhosts: broker1, broker2\n\nvars: openwire_port');
    const inExpr = hoverAt('{{ hosts.nfs1.address }}', '{{ hosts.nf^s1.address }}')!;
    assert.equal(inExpr.markdown, host.markdown);
  });

  it('a path through another host, and a field of it', () => {
    const h = hoverAt('{{ hosts[peer].address }}', '{{ hosts[peer].addr^ess }}')!;
    assert.match(h.markdown, /^\*\*hosts\[…\]\.address\*\*: the address/);
    assert.match(h.markdown, /- broker1: `192\.168\.10\.193`\n- broker2: `192\.168\.10\.192`/);
  });

  it('a handler name in notify, and a filter', () => {
    const h = hoverAt('notify: reload exports', 'notify: reload ex^ports')!;
    assert.match(h.markdown, /^\*\*reload exports\*\* \(handler, command, line 28\)/);
    assert.match(h.markdown, /Export the data directory/);
    const f = hoverAt('"{{ store }}"', '"{{ store | up^per }}"')!;
    assert.match(f.markdown, /^\*\*upper\*\* \(filter\)/);
  });

  it('on a value, the docs of its key; nothing on a plain variable value', () => {
    assert.match(hoverAt('name: Shared-store', 'name: Shar^ed-store')!.markdown, /^\*\*name\*\* \(string, required\)/);
    assert.equal(hoverAt('export_dir: /data/activemq-data', 'export_dir: /data/act^ivemq-data'), null);
  });
});
