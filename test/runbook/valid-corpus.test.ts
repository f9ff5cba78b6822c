import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { loadPlaybook } from '../../runner/src/cli/load.js';
import { fixture } from '../helpers/paths.js';

const dir = fixture('valid');

describe('valid runbooks stay clean under every rule', () => {
  for (const name of readdirSync(dir).filter((f) => f !== 'inventory.yaml' && f.endsWith('.yaml')).sort()) {
    it(name, () => {
      assert.deepEqual(loadPlaybook(`${dir}/${name}`, {}).lines, []);
    });
  }
});
