import { posix } from 'node:path';
import { cmd, q } from '../transport/quote.js';
import { attrsChange, wantedAttrs, type WantedAttrs } from './lib/attrs.js';
import { CheckFailed, type CheckContext } from './lib/context.js';
import { defineModule, type ParamProblem } from './lib/define.js';
import { readLocal, requireAccounts, requireParent } from './lib/file-target.js';
import { withEnv } from './lib/env.js';
import { change, ok, type Change, type Plan } from './lib/plan.js';
import { certificateFacts, describeRotation, firstPem, sameName, type CertificateFacts } from './text/certificate.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  keystore: { type: 'path', required: true, description: "the broker's key store (PKCS12): its key pair and certificate" },
  store_password: { type: 'string', required: true, secret: true, description: 'password of the key store and of its key, from a secret' },
  truststore: { type: 'path', description: 'a trust store (PKCS12) holding the certificate alone, for clients and peers that trust it' },
  truststore_password: { type: 'string', secret: true, description: 'password of the trust store, from a secret (default: store_password)' },
  alias: { type: 'string', default: 'broker', description: 'the entry of the key pair in the stores' },
  certificate: { type: 'path', description: 'a PEM certificate on the controller, to use instead of a self-signed one' },
  key: { type: 'path', description: "the certificate's PEM private key on the controller" },
  subject: { type: 'string', default: 'CN=activemq', description: 'the distinguished name of a self-signed certificate' },
  san: { type: 'list', items: { type: 'string', description: 'DNS:name or IP:address' }, default: [], description: 'subject alternative names of a self-signed certificate' },
  valid_days: { type: 'int', default: 825, min: 1, description: 'how long a self-signed certificate is valid' },
  key_size: { type: 'int', default: 2048, min: 2048, description: 'RSA key size of a self-signed key pair' },
  keytool: { type: 'string', default: 'keytool', description: "the JRE's keytool (the one the broker runs with)" },
  owner: { type: 'string', default: 'activemq', description: 'user that owns the stores: the broker reads them' },
  group: { type: 'string', default: 'activemq', description: "the stores' group" },
  mode: { type: 'mode', default: '0640', description: 'permissions of the stores' },
} as const satisfies ParamSpecs;

export type ActivemqKeystoreParams = ParamsOf<typeof params>;

const STORE_PASS = 'AMQ_KEYSTORE_PASSWORD';
const TRUST_PASS = 'AMQ_TRUSTSTORE_PASSWORD';

/** The certificate of `alias` in a store, or null when the store has no such entry. */
async function storedCertificate(ctx: CheckContext, p: ActivemqKeystoreParams, path: string, password: string): Promise<CertificateFacts | null> {
  if (!(await ctx.stat(path))) return null;
  const read = withEnv(`${cmd(p.keytool, '-exportcert', '-rfc', '-alias', p.alias, '-keystore', path)} -storepass:env ${STORE_PASS}`, { [STORE_PASS]: password });
  const r = await ctx.run(read.cmd, { stdin: read.stdin });
  const pem = firstPem(r.stdout);
  if (r.code === 0 && pem) return certificateFacts(pem);
  const said = `${r.stdout}${r.stderr}`.replace(/\s+/g, ' ').trim();
  if (/does not exist/i.test(said)) return null;
  if (r.code === 127) throw new CheckFailed(`${p.keytool} is not installed on ${ctx.host.name}: point keytool at the JRE the broker runs with (Debian: /usr/lib/jvm/java-17-openjdk-amd64/bin/keytool)`);
  throw new CheckFailed(`cannot read ${path}: keytool says ${said || `exit ${r.code}`} (is its password the one given?)`);
}

/** The shell script that builds the stores in a folder beside the key store and moves them in place. */
function buildScript(p: ActivemqKeystoreParams, uploaded: boolean, own: WantedAttrs): string {
  const tmp = `${posix.dirname(p.keystore)}/.amq-keystore.XXXXXX`;
  const lines = ['set -e', 'umask 077', `d=$(mktemp -d ${q(tmp)})`, `trap 'rm -rf "$d"' EXIT`];
  if (uploaded) {
    lines.push(
      `printf '%s\\n' "$AMQ_TLS_CERTIFICATE" > "$d/cert.pem"`,
      `printf '%s\\n' "$AMQ_TLS_KEY" > "$d/key.pem"`,
      `openssl pkcs12 -export -name ${q(p.alias)} -in "$d/cert.pem" -inkey "$d/key.pem" -out "$d/keystore" -passout env:${STORE_PASS}`,
    );
  } else {
    const ext = p.san.length ? ` -ext ${q(`SAN=${p.san.join(',')}`)}` : '';
    lines.push(
      `${cmd(p.keytool, '-genkeypair', '-alias', p.alias, '-keyalg', 'RSA', '-keysize', p.key_size, '-validity', p.valid_days, '-dname', p.subject)}${ext} -storetype PKCS12 -keystore "$d/keystore" -storepass:env ${STORE_PASS} -keypass:env ${STORE_PASS}`,
      `${cmd(p.keytool, '-exportcert', '-rfc', '-alias', p.alias)} -keystore "$d/keystore" -storepass:env ${STORE_PASS} > "$d/cert.pem"`,
    );
  }
  const stores: [string, string][] = [['keystore', p.keystore]];
  if (p.truststore !== undefined) {
    lines.push(`${cmd(p.keytool, '-importcert', '-noprompt', '-alias', p.alias)} -file "$d/cert.pem" -storetype PKCS12 -keystore "$d/truststore" -storepass:env ${TRUST_PASS}`);
    stores.push(['truststore', p.truststore]);
  }
  const chown = [own.owner, own.group].filter((x) => x !== undefined).join(':');
  for (const [name, path] of stores) {
    if (own.mode) lines.push(`chmod ${q(own.mode)} "$d/${name}"`);
    if (chown) lines.push(`chown ${q(own.owner === undefined ? `:${own.group}` : chown)} "$d/${name}"`);
    // Beside its target first, so the last step is a rename within one folder.
    const next = `${posix.dirname(path)}/.${posix.basename(path)}.amq-new`;
    lines.push(`cp -p "$d/${name}" ${q(next)}`, `mv -f ${q(next)} ${q(path)}`);
  }
  return lines.join('\n');
}

/** What the stores should hold: the uploaded certificate's facts, or a self-signed one's subject. */
async function wanted(ctx: CheckContext, p: ActivemqKeystoreParams): Promise<{ facts?: CertificateFacts; pem?: string; key?: string }> {
  if (p.certificate === undefined) return {};
  const text = await readLocal(ctx, p.certificate);
  const pem = firstPem(text);
  if (!pem) throw new CheckFailed(`${p.certificate} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  const key = await readLocal(ctx, p.key!);
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(key)) throw new CheckFailed(`${p.key} holds no PEM private key`);
  return { facts: certificateFacts(pem), pem, key };
}

/** Whether the stored certificate is the one wanted: the same fingerprint, or a valid self-signed one of the subject. */
function isWanted(cur: CertificateFacts | null, p: ActivemqKeystoreParams, want: CertificateFacts | undefined): boolean {
  if (!cur) return false;
  if (want) return cur.fingerprint === want.fingerprint;
  return sameName(cur.subject, p.subject) && sameName(cur.issuer, cur.subject) && Date.parse(cur.expires) > Date.now();
}

async function check(ctx: CheckContext, p: ActivemqKeystoreParams): Promise<Plan> {
  const want = await wanted(ctx, p);
  const own = await wantedAttrs(ctx, { owner: p.owner, group: p.group, mode: p.mode });
  await requireAccounts(ctx, own);
  const trustPassword = p.truststore_password ?? p.store_password;
  const cur = await storedCertificate(ctx, p, p.keystore, p.store_password);
  const trusted = p.truststore === undefined ? undefined : await storedCertificate(ctx, p, p.truststore, trustPassword);
  const keyOk = isWanted(cur, p, want.facts);
  const trustOk = p.truststore === undefined || (keyOk && trusted?.fingerprint === cur!.fingerprint);
  if (keyOk && trustOk) {
    const attrs = [p.keystore, ...(p.truststore !== undefined ? [p.truststore] : [])].map(async (path) => {
      const st = await ctx.stat(path);
      return st ? attrsChange(path, st, own) : null;
    });
    const fixes = (await Promise.all(attrs)).flatMap((c): Change[] => (c ? [c] : []));
    if (fixes.length) return change(`set the owner and mode of the stores`, ...fixes);
    return ok(`${p.keystore} holds ${cur!.subject} (SHA-256 ${cur!.fingerprint.slice(0, 23)}…, expires ${cur!.expires.slice(0, 10)})`);
  }
  for (const path of [p.keystore, p.truststore]) if (path !== undefined && !(await ctx.stat(path))) await requireParent(ctx, path);
  const env: Record<string, string> = { [STORE_PASS]: p.store_password };
  if (p.truststore !== undefined) env[TRUST_PASS] = trustPassword;
  if (want.pem !== undefined && want.key !== undefined) Object.assign(env, { AMQ_TLS_CERTIFICATE: want.pem, AMQ_TLS_KEY: want.key });
  const after = want.facts ?? { subject: p.subject, issuer: p.subject };
  const details = keyOk ? [`trust store ${p.truststore}: the certificate ${cur!.fingerprint} added`] : describeRotation(cur ?? undefined, after);
  const build: Change = {
    kind: 'command',
    cmd: buildScript(p, want.pem !== undefined, own),
    why: cur ? 'the stores hold another certificate' : 'no certificate in the stores yet',
    details,
    creates: [p.keystore, ...(p.truststore !== undefined ? [p.truststore] : [])],
    declared: true,
    env,
  };
  const what = want.facts ? `the certificate ${want.facts.subject} from ${p.certificate}` : `a self-signed certificate ${p.subject}`;
  return change(cur ? `${p.keystore}: replace the certificate with ${what}` : `${p.keystore}: ${what}`, build);
}

export const activemqKeystore = defineModule({
  name: 'activemq_keystore',
  summary: "The broker's TLS key store and trust store (keytool): a self-signed key pair or a PEM certificate",
  docs: `Makes the broker's PKCS12 key store hold one key pair under \`alias\`, and the trust store
(optional) its certificate, with keytool (the JRE the broker already runs on) and openssl:

- by default a **self-signed** key pair of \`subject\` (with \`san\`, \`valid_days\`, \`key_size\`),
  made once: kept while its subject stays and it has not expired;
- with \`certificate\` and \`key\`, the **PEM certificate and key** from the controller, kept while
  the store holds a certificate of the same SHA-256 fingerprint.

Replacing the certificate is one change whose details name the subject, issuer, fingerprint and
expiry before and after, never key material. The store passwords come from secrets and reach keytool
through its environment (\`-storepass:env\`), never a command line. The stores are built beside
the key store and renamed into place, owned by the broker's user (\`owner\`, \`group\`: activemq),
mode 0640. Point activemq_broker's \`ssl_context\` at them.`,
  params,
  validate(p) {
    const out: ParamProblem[] = [];
    if ((p.certificate === undefined) !== (p.key === undefined)) {
      out.push({ param: p.certificate === undefined ? 'key' : 'certificate', message: 'certificate and key go together: the PEM certificate and its private key', code: 'missing-required' });
    }
    for (const [i, s] of p.san.entries()) {
      if (!/^(DNS|IP|URI|EMAIL):\S+$/i.test(s)) out.push({ param: 'san', path: ['san', i], message: `'${s}' is not DNS:name or IP:address`, code: 'bad-value' });
    }
    if (!/^[A-Za-z0-9_.-]+$/.test(p.alias)) out.push({ param: 'alias', message: `alias '${p.alias}' may only hold letters, digits and _ . -`, code: 'bad-value' });
    return out;
  },
  examples: `- name: The broker's TLS key pair
  activemq_keystore:
    keystore: /etc/activemq/instances-available/main/broker.ks
    truststore: /etc/activemq/instances-available/main/broker.ts
    store_password: "{{ keystore_password }}"
    subject: CN=broker1
    san: [DNS:broker1, IP:127.0.10.2]
`,
  check,
});
