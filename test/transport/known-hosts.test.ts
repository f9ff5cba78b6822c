import assert from 'node:assert/strict';
import {
  entryMatches,
  fingerprint,
  hostKeyAlgorithms,
  keyTypeOf,
  knownHostLine,
  parseKnownHosts,
  verifyHostKey,
} from '../../runner/src/transport/known-hosts.js';

// Keys and hashed lines made with ssh-keygen; fingerprints as `ssh-keygen -lf` printed them.
const K1 = 'AAAAC3NzaC1lZDI1NTE5AAAAIIZA/UJqIhrEga6EVxzRkbLpgCUhNX0mCynJaJLcu7+f';
const K1_FP = 'SHA256:XpisMNGbCLg6TIF4f94zqfpaIGD1NVLsNxGFTdyaz1g';
const K2 = 'AAAAC3NzaC1lZDI1NTE5AAAAICMANrGrkwQLnqQoZVHXNixLKj29jYgK3gCJYPprm3c2';
const K2_FP = 'SHA256:Ki0K0yuwv0X4RFUz4MUFoCJgrx7WPsNEdMk1KQblaTM';
const K3 = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFe5jCcsCaLZIHGku2QPMxP63dVlF5GDYyWdG45ElZdKaW8m/PnLThyrpBk4Vl83T5mrOKI60pCe2L7ua2plezU=';
const K3_FP = 'SHA256:Ba5brUr5JdhdGR9UFllIydE4cixqWU2TmCXW97hljgo';
// `ssh-keygen -H` of "[127.0.10.2]:2222 ssh-ed25519 K1" and "db.example.org ssh-ed25519 K2".
const HASHED = `|1|sbCg8ucLjv+877u9mxLsuLnvNE4=|qHvCm2p9HNEg2uZLqYO5ekz/XZM= ssh-ed25519 ${K1}
|1|tWo5ABuhj2ChoN4TAnwZHV1r+Ww=|xck5xI839jwlRGX1/Uyact/fTts= ssh-ed25519 ${K2}
`;
const blob = (b64: string) => Buffer.from(b64, 'base64');

describe('known_hosts', () => {
  it('fingerprints a key blob as ssh-keygen -lf does', () => {
    assert.equal(fingerprint(blob(K1)), K1_FP);
    assert.equal(fingerprint(blob(K2)), K2_FP);
    assert.equal(fingerprint(blob(K3)), K3_FP);
    assert.equal(keyTypeOf(blob(K3)), 'ecdsa-sha2-nistp256');
  });

  it('reads plain lines: a host, [host]:port, comma lists; skips comments, blank and broken lines', () => {
    const entries = parseKnownHosts(`# pinned hosts

broker1,192.168.10.192 ssh-ed25519 ${K1}
[127.0.10.2]:2222 ssh-ed25519 ${K2} a comment
not-a-key-line
[127.0.10.3]:2222 ssh-ed25519
`);
    assert.equal(entries.length, 2);
    assert.deepEqual(entries.map((e) => e.line), [3, 4]);
    assert.ok(entryMatches(entries[0], 'broker1', 22));
    assert.ok(entryMatches(entries[0], '192.168.10.192', 22));
    assert.ok(!entryMatches(entries[0], '192.168.10.192', 2222), 'a bare name means port 22 only');
    assert.ok(entryMatches(entries[1], '127.0.10.2', 2222));
    assert.ok(!entryMatches(entries[1], '127.0.10.2', 22));
    assert.ok(!entryMatches(entries[1], '127.0.10.3', 2222));
  });

  it('matches hashed names made by ssh-keygen -H, and only those', () => {
    const entries = parseKnownHosts(HASHED);
    assert.equal(entries.length, 2);
    assert.ok(entryMatches(entries[0], '127.0.10.2', 2222));
    assert.ok(!entryMatches(entries[0], '127.0.10.2', 22));
    assert.ok(!entryMatches(entries[0], '127.0.10.3', 2222));
    assert.ok(entryMatches(entries[1], 'db.example.org', 22));
    assert.deepEqual(verifyHostKey(entries, '127.0.10.2', 2222, blob(K1)).status, 'known');
    const v = verifyHostKey(entries, 'db.example.org', 22, blob(K1));
    assert.equal(v.status, 'mismatch');
    assert.equal(v.status === 'mismatch' && v.entries[0].line, 2);
  });

  it('wildcards and negated patterns', () => {
    const [e] = parseKnownHosts(`*.example.org,!db.example.org,10.0.0.? ssh-ed25519 ${K1}`);
    assert.ok(entryMatches(e, 'mq1.example.org', 22));
    assert.ok(!entryMatches(e, 'db.example.org', 22));
    assert.ok(entryMatches(e, '10.0.0.7', 22));
    assert.ok(!entryMatches(e, '10.0.0.17', 22));
  });

  it('verdicts: known, mismatch (same name, other key), unknown, revoked', () => {
    const entries = parseKnownHosts(`[127.0.10.2]:2222 ssh-ed25519 ${K1}
@revoked * ssh-ed25519 ${K3}
@cert-authority *.example.org ssh-ed25519 ${K2}
`);
    assert.equal(verifyHostKey(entries, '127.0.10.2', 2222, blob(K1)).status, 'known');
    const mismatch = verifyHostKey(entries, '127.0.10.2', 2222, blob(K2));
    assert.equal(mismatch.status, 'mismatch');
    assert.equal(mismatch.status === 'mismatch' && fingerprint(mismatch.entries[0].key), K1_FP);
    assert.equal(verifyHostKey(entries, '127.0.10.3', 2222, blob(K2)).status, 'unknown');
    assert.equal(verifyHostKey(entries, 'mq1.example.org', 22, blob(K2)).status, 'unknown', 'a CA line is not a host key');
    assert.equal(verifyHostKey(entries, '127.0.10.2', 2222, blob(K3)).status, 'revoked');
  });

  it('writes new lines as ssh does: host on port 22, [host]:port otherwise', () => {
    assert.equal(knownHostLine('broker1', 22, blob(K1)), `broker1 ssh-ed25519 ${K1}`);
    assert.equal(knownHostLine('127.0.10.2', 2222, blob(K1)), `[127.0.10.2]:2222 ssh-ed25519 ${K1}`);
    const [e] = parseKnownHosts(knownHostLine('127.0.10.2', 2222, blob(K3)));
    assert.equal(verifyHostKey([e], '127.0.10.2', 2222, blob(K3)).status, 'known');
  });

  it('offers the host key algorithms of the known keys first', () => {
    const entries = parseKnownHosts(`[127.0.10.2]:2222 ecdsa-sha2-nistp256 ${K3}\nother ssh-rsa ${K1}`);
    const algos = hostKeyAlgorithms(entries, '127.0.10.2', 2222);
    assert.equal(algos[0], 'ecdsa-sha2-nistp256');
    assert.ok(algos.includes('ssh-ed25519'));
    assert.equal(new Set(algos).size, algos.length);
    assert.equal(hostKeyAlgorithms([], 'x', 22)[0], 'ssh-ed25519');
    assert.equal(hostKeyAlgorithms(entries, 'other', 22)[0], 'rsa-sha2-512');
  });
});
