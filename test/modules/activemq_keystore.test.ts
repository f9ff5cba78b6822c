import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { amqRunJson, resultKeys } from '../helpers/amq-run.js';

const PASSWORD = 'Keyst0re-pa55-for-tests';
const ENV = { KEYSTORE_PASSWORD: PASSWORD };
const KEYTOOL = '/usr/lib/jvm/java-17-openjdk-amd64/bin/keytool';

/** The certificate of an entry of a real PKCS12 store, as keytool exports it. */
function stored(store: string): X509Certificate {
  const pem = execFileSync(KEYTOOL, ['-exportcert', '-rfc', '-alias', 'broker', '-keystore', store, '-storepass:env', 'KEYSTORE_PASSWORD'], { env: { ...process.env, ...ENV }, encoding: 'utf8' });
  return new X509Certificate(pem);
}

describe('activemq_keystore on this machine (real keytool and openssl, the local transport)', function () {
  this.timeout(120_000);
  let dir: string;
  const me = userInfo().username;
  const runbook = (extra: string) => {
    writeFileSync(join(dir, 'inventory.yaml'), 'defaults: { connection: local, become: false }\nhosts:\n  local1: { address: 127.0.0.1 }\n');
    writeFileSync(
      join(dir, 'keystore.yaml'),
      `name: keystore\ninventory: inventory.yaml\nsecrets:\n  keystore_password: { env: KEYSTORE_PASSWORD }\nplays:\n  - name: p\n    hosts: local1\n    tasks:\n      - name: Stores\n        activemq_keystore:\n          keystore: ${dir}/broker.ks\n          truststore: ${dir}/broker.ts\n          store_password: "{{ keystore_password }}"\n          keytool: ${KEYTOOL}\n          owner: ${me}\n          group: ${me === 'root' ? 'root' : me}\n${extra}`,
    );
    return [join(dir, 'keystore.yaml'), '--diff'];
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'amq-keystore-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a self-signed key pair once: the trust store holds its certificate, mode 0640; a dry-run predicted it; a second run changes nothing', async () => {
    const args = runbook('          subject: CN=broker1, O=Lab\n          san: [DNS:broker1, IP:127.0.10.2]\n');
    const dry = await amqRunJson([...args, '--dry-run'], ENV);
    assert.equal(dry.code, 0, dry.stderr);
    assert.deepEqual(resultKeys(dry, 'would_change'), ['Stores@local1']);
    const run = await amqRunJson(args, ENV);
    assert.equal(run.code, 0, `${run.stderr}${run.stdout}`);
    assert.deepEqual(resultKeys(run, 'changed'), ['Stores@local1']);
    const ks = stored(join(dir, 'broker.ks'));
    assert.equal(ks.subject, 'O=Lab\nCN=broker1');
    assert.equal(ks.issuer, ks.subject, 'self-signed');
    assert.match(ks.subjectAltName ?? '', /DNS:broker1, IP Address:127\.0\.10\.2/);
    assert.equal(stored(join(dir, 'broker.ts')).fingerprint256, ks.fingerprint256, 'the trust store trusts that certificate');
    for (const f of ['broker.ks', 'broker.ts']) assert.equal(statSync(join(dir, f)).mode & 0o777, 0o640, f);
    const again = await amqRunJson(args, ENV);
    assert.deepEqual(resultKeys(again, 'changed'), []);
    assert.match(again.stdout, new RegExp(`holds CN=broker1, O=Lab \\(SHA-256 ${ks.fingerprint256.slice(0, 23)}`));
    for (const r of [dry, run, again]) assert.ok(!(r.stdout + r.stderr).includes(PASSWORD), 'the store password never shows');
  });

  it('a PEM certificate and key from the controller replace it: one change naming subject, issuer, fingerprint and expiry, no key material; then nothing', async () => {
    const before = stored(join(dir, 'broker.ks'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'new.key'), '-out', join(dir, 'new.pem'), '-days', '30', '-subj', '/CN=broker.example/O=Rotated'], { stdio: 'ignore' });
    const pem = new X509Certificate(execFileSync('cat', [join(dir, 'new.pem')]));
    const args = runbook(`          certificate: ${dir}/new.pem\n          key: ${dir}/new.key\n`);
    const dry = await amqRunJson([...args, '--dry-run'], ENV);
    const run = await amqRunJson(args, ENV);
    assert.equal(run.code, 0, `${run.stderr}${run.stdout}`);
    assert.deepEqual(resultKeys(run, 'changed'), ['Stores@local1']);
    assert.deepEqual(resultKeys(dry, 'would_change'), ['Stores@local1']);
    for (const text of [dry.stdout, run.stdout]) {
      assert.ok(text.includes(`subject: CN=broker1, O=Lab -> O=Rotated, CN=broker.example`), text);
      assert.ok(text.includes(`fingerprint SHA-256: ${before.fingerprint256} -> ${pem.fingerprint256}`));
      assert.ok(text.includes(`expires: ${new Date(before.validTo).toISOString()} -> ${new Date(pem.validTo).toISOString()}`));
      assert.doesNotMatch(text, /PRIVATE KEY|BEGIN CERTIFICATE/, 'no key material');
    }
    assert.equal(stored(join(dir, 'broker.ks')).fingerprint256, pem.fingerprint256);
    assert.equal(stored(join(dir, 'broker.ts')).fingerprint256, pem.fingerprint256);
    assert.deepEqual(resultKeys(await amqRunJson(args, ENV), 'changed'), []);
  });

  it('a wrong store password is a failure in words, not a new key store', async () => {
    const run = await amqRunJson(runbook(`          certificate: ${dir}/new.pem\n          key: ${dir}/new.key\n`), { KEYSTORE_PASSWORD: 'another-password' });
    assert.notEqual(run.code, 0);
    assert.match(run.stdout, /cannot read .*broker\.ks: keytool says .*password/);
  });
});
