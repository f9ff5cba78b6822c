import { X509Certificate } from 'node:crypto';

/** What a certificate says of itself, the parts a diff may show: never key material. */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  /** SHA-256 of the DER bytes, as keytool and openssl print it (AA:BB:...). */
  fingerprint: string;
  /** notAfter, as an ISO date. */
  expires: string;
}

/** The first PEM certificate of a text, or undefined. */
export function firstPem(text: string): string | undefined {
  return /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(text)?.[0];
}

/** A distinguished name in one line, most specific first (CN=broker1, O=Example), as keytool's -dname takes it. */
const oneLine = (dn: string) => dn.split('\n').filter(Boolean).reverse().join(', ');

export function certificateFacts(pem: string): CertificateFacts {
  const c = new X509Certificate(pem);
  return { subject: oneLine(c.subject), issuer: oneLine(c.issuer), fingerprint: c.fingerprint256, expires: new Date(c.validTo).toISOString() };
}

/** The parts of a distinguished name, to compare names written in another order or spacing. */
export function sameName(a: string, b: string): boolean {
  const parts = (dn: string) =>
    dn
      .split(/\s*[,\n]\s*/)
      .map((p) => p.trim().replace(/\s*=\s*/, '='))
      .filter(Boolean)
      .sort()
      .join('\n');
  return parts(a) === parts(b);
}

/** The lines of a certificate rotation: subject, issuer, fingerprint and expiry, before and after. */
export function describeRotation(before: CertificateFacts | undefined, after: CertificateFacts | { subject: string; issuer: string }): string[] {
  const row = (what: string, from: string | undefined, to: string | undefined) => `${what}: ${from ?? '(none)'} -> ${to ?? '(made on the host)'}`;
  const a = after as Partial<CertificateFacts>;
  return [row('subject', before?.subject, a.subject), row('issuer', before?.issuer, a.issuer), row('fingerprint SHA-256', before?.fingerprint, a.fingerprint), row('expires', before?.expires, a.expires)];
}
