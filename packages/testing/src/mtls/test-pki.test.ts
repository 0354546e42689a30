import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { certificateThumbprint, createTestPki, openssl } from './test-pki.ts';

const pki = await createTestPki(['cc-mtls', 'intruder']);
const ca = new X509Certificate(pki.ca);

/** openssl's own SHA-256 fingerprint of a PEM certificate, as base64url (an independent count). */
async function opensslThumbprint(pem: string): Promise<string> {
  const child = promisify(execFile)(openssl, ['x509', '-noout', '-fingerprint', '-sha256']);
  child.child.stdin?.end(pem);
  const { stdout } = await child;
  const hex = /=([0-9A-F:]+)/.exec(stdout)?.[1]?.replaceAll(':', '') ?? '';
  return Buffer.from(hex, 'hex').toString('base64url');
}

test('the server certificate names 127.0.0.1 and localhost and chains to the CA', () => {
  const server = new X509Certificate(pki.server.cert);
  expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
  expect(server.checkHost('localhost')).toBe('localhost');
  expect(server.checkIssued(ca) && server.verify(ca.publicKey)).toBe(true);
  expect(server.checkPrivateKey(createPrivateKey(pki.server.key))).toBe(true);
});

test('each client certificate has subject CN=<name>, its own key, and chains to the CA', () => {
  const thumbprints = new Set<string>();
  for (const name of ['cc-mtls', 'intruder'] as const) {
    const { key, cert, ca: trust } = pki.clients[name];
    const x509 = new X509Certificate(cert);
    expect(x509.subject).toBe(`CN=${name}`);
    expect(x509.verify(ca.publicKey)).toBe(true);
    expect(x509.checkPrivateKey(createPrivateKey(key))).toBe(true);
    expect(trust).toBe(pki.ca);
    thumbprints.add(certificateThumbprint(cert));
  }
  expect(thumbprints.size).toBe(2);
});

test('the untrusted certificate is not the CA’s', () => {
  const untrusted = new X509Certificate(pki.untrusted.cert);
  expect(untrusted.subject).toBe('CN=cc-mtls');
  expect(untrusted.verify(ca.publicKey)).toBe(false);
});

test('the x5t#S256 thumbprint is openssl’s SHA-256 fingerprint, base64url-encoded', async () => {
  const thumbprint = certificateThumbprint(pki.clients['cc-mtls'].cert);
  expect(thumbprint).toMatch(/^[\w-]{43}$/);
  expect(thumbprint).toBe(await opensslThumbprint(pki.clients['cc-mtls'].cert));
  expect(certificateThumbprint(new X509Certificate(pki.clients.intruder.cert))).toBe(
    await opensslThumbprint(pki.clients.intruder.cert),
  );
});
