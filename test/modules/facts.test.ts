import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAccountExists, parseAccountName, parseAccountNames, parsePrimaryGroup } from '../../runner/src/modules/facts/accounts.js';
import { fileSha256, fileStat, fileText, parseSha256, parseStat, parseText } from '../../runner/src/modules/facts/files.js';
import { identity, parseIdentity } from '../../runner/src/modules/facts/identity.js';
import { mounts, parseMounts } from '../../runner/src/modules/facts/mounts.js';
import { packageManager, parsePackageManager } from '../../runner/src/modules/facts/os.js';
import { dpkgQuery, parseDpkgQuery, parseRpmQuery, rpmQuery } from '../../runner/src/modules/facts/packages.js';
import { initSystem, parseInitSystem, parseSysvEnabler, sysvEnabler } from '../../runner/src/modules/facts/service.js';
import type { ExecResult } from '../../runner/src/transport/transport.js';
import { fixture } from '../helpers/paths.js';

interface FactFixture {
  command: string;
  output: ExecResult;
  expect: unknown;
}

/** Each fixture folder: the parser of its output and how the command it was captured from begins. */
const parsers: Record<string, { parse: (out: ExecResult) => unknown; command: string }> = {
  package_manager: { parse: parsePackageManager, command: packageManager.command },
  dpkg_query: { parse: parseDpkgQuery, command: dpkgQuery([]) },
  rpm_query: { parse: parseRpmQuery, command: rpmQuery([]) },
  account_name: { parse: parseAccountName, command: 'getent ' },
  account_exists: { parse: (out) => parseAccountExists(out), command: 'getent ' },
  account_names: { parse: parseAccountNames, command: 'getent ' },
  primary_group: { parse: parsePrimaryGroup, command: 'id -gn -- ' },
  mounts: { parse: parseMounts, command: mounts.command },
  init_system: { parse: parseInitSystem, command: initSystem.command },
  sysv_enabler: { parse: parseSysvEnabler, command: sysvEnabler.command },
  file_stat: { parse: parseStat, command: fileStat('').command.split(' -- ')[0].replace(/ -c .*/, ' ') },
  file_text: { parse: parseText, command: fileText('').command.split(' -- ')[0] },
  file_sha256: { parse: parseSha256, command: fileSha256('').command.split(' -- ')[0] },
  identity: { parse: parseIdentity, command: identity.command },
};

describe('fact parsers on captured output', () => {
  const root = fixture('facts');
  for (const fact of readdirSync(root).sort()) {
    describe(fact, () => {
      it('has a parser', () => assert.ok(parsers[fact], `no parser registered for test/fixtures/facts/${fact}`));
      for (const name of readdirSync(`${root}/${fact}`).filter((f) => f.endsWith('.json')).sort()) {
        it(name.replace(/\.json$/, ''), () => {
          const fx = JSON.parse(readFileSync(`${root}/${fact}/${name}`, 'utf8')) as FactFixture;
          const p = parsers[fact];
          assert.ok(p, `no parser for ${fact}`);
          assert.ok(fx.command.startsWith(p.command), `captured from the command the module runs: ${fx.command}`);
          const throws = (fx.expect as { throws?: string } | null)?.throws;
          if (throws !== undefined) assert.throws(() => p.parse(fx.output), (e: Error) => e.message === throws);
          else assert.deepEqual(p.parse(fx.output), fx.expect);
        });
      }
    });
  }
});
