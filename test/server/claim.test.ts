import assert from 'node:assert/strict';
import { claim, globToRegExp } from '../../server/src/analysis/claim.js';

const base = { globs: ['**/*.runbook.yaml', 'ops/**/*.yml'], inventories: new Set(['/w/inv.yaml']) };

describe('which documents are runbooks', () => {
  it('a top-level plays: claims any YAML file', () => {
    assert.equal(claim({ ...base, path: '/w/site.yaml', text: 'name: x\nplays: []\n' }), 'playbook');
    assert.equal(claim({ ...base, path: '/w/site.yaml', text: 'name: x\n# plays:\n  plays: []\n' }), undefined, 'only at the top level');
  });

  it('other YAML files are left alone', () => {
    assert.equal(claim({ ...base, path: '/w/docker-compose.yaml', text: 'services:\n  web: { image: nginx }\n' }), undefined);
    assert.equal(claim({ ...base, path: '/w/hosts.yaml', text: 'hosts:\n  a: {}\n' }), undefined, 'an inventory nobody names');
  });

  it('an inventory named by an open runbook, and files matching the globs', () => {
    assert.equal(claim({ ...base, path: '/w/inv.yaml', text: 'hosts:\n  a: {}\n' }), 'inventory');
    assert.equal(claim({ ...base, path: '/w/new.runbook.yaml', text: '' }), 'playbook');
    assert.equal(claim({ ...base, path: '/w/ops/x/inventory.yml', text: 'hosts: {}\ngroups: {}\n' }), 'inventory');
    assert.equal(claim({ ...base, path: '/w/x.yaml', languageId: 'runbook', text: 'name: x\n' }), 'playbook', 'the editor said so');
  });

  it('globs: ** folders, * in a name, {a,b}', () => {
    assert.ok(globToRegExp('**/*.runbook.{yaml,yml}').test('/a/b/c.runbook.yml'));
    assert.ok(globToRegExp('*.runbook.yaml').test('/a/b/c.runbook.yaml'));
    assert.ok(!globToRegExp('*.runbook.yaml').test('/a/b/c.yaml'));
    assert.ok(globToRegExp('ops/**/*.yml').test('/w/ops/a/b/x.yml'));
    assert.ok(globToRegExp('ops/**/*.yml').test('/w/ops/x.yml'));
    assert.ok(!globToRegExp('ops/*.yml').test('/w/ops/a/x.yml'));
  });
});
