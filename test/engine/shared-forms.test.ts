import assert from 'node:assert/strict';
import { sharedForms } from '../../runner/src/engine/run.js';

describe('a dry-run: paths another host may make on a disk both see', () => {
  it("a bind mount's source under a host's own mount point of the shared disk is found by its tails of two components or more", () => {
    assert.deepEqual(sharedForms('/net/nfs1/data/activemq-data'), ['/net/nfs1/data/activemq-data', '/nfs1/data/activemq-data', '/data/activemq-data']);
    assert.deepEqual(sharedForms('/data/x'), ['/data/x'], 'never a single component: /x alone says nothing');
    assert.deepEqual(sharedForms('/x'), ['/x']);
  });
});
