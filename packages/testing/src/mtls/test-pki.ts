/**
 * A throwaway public key infrastructure for mutual TLS tests: a CA, a server certificate for
 * 127.0.0.1 and localhost, and client certificates whose subject is `CN=<name>`, all made by
 * `openssl` (P-256 keys: each takes milliseconds) in a temporary directory that is removed again
 * once the PEM texts are read. Generate it once per test file.
 *
 * Test-only; not exported from the package.
 *
 * @module
 */
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/**
 * The openssl binary: `$OPENSSL`, or the one on the PATH.
 *
 * @example
 * ```ts
 * await promisify(execFile)(openssl, ['version']);
 * ```
 */
export const openssl = process.env.OPENSSL ?? 'openssl';

/**
 * A private key and its certificate, PEM-encoded, with the CA that issued it: what a TLS client
 * or server is configured with.
 *
 * @example
 * ```ts
 * const { key, cert, ca } = pki.clients['cc-mtls'];
 * new https.Agent({ key, cert, ca });
 * ```
 */
export interface KeyAndCertificate {
  /** PKCS#8 private key (PEM). */
  readonly key: string;
  /** The certificate (PEM). */
  readonly cert: string;
  /** The test CA's certificate (PEM): the trust anchor for the peer's certificate. */
  readonly ca: string;
}

/**
 * Certificates made by {@link createTestPki}.
 *
 * @example
 * ```ts
 * const pki = await createTestPki(['cc-mtls', 'intruder']);
 * https.createServer({ ...pki.server, requestCert: true, rejectUnauthorized: true });
 * ```
 */
export interface TestPki<Name extends string> {
  /** The CA certificate (PEM) every other certificate here chains to. */
  readonly ca: string;
  /** For 127.0.0.1 and localhost (subjectAltName), extendedKeyUsage serverAuth. */
  readonly server: KeyAndCertificate;
  /** One per name: subject `CN=<name>`, extendedKeyUsage clientAuth. */
  readonly clients: { readonly [N in Name]: KeyAndCertificate };
  /** A client certificate from another CA, which the servers here do not trust (subject: the first name). */
  readonly untrusted: KeyAndCertificate;
}

const days = '2';
const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

/** A self-signed CA certificate `CN=<name>` and its key, under `dir/<file>.{key,crt}`. */
async function makeCa(dir: string, file: string, name: string): Promise<void> {
  const [key, crt] = [join(dir, `${file}.key`), join(dir, `${file}.crt`)];
  await run(openssl, [
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    key,
    '-out',
    crt,
    '-days',
    days,
    '-subj',
    `/CN=${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  ]);
}

/** A certificate `CN=<name>` with `extensions`, issued by the CA `dir/<caFile>`. */
async function issue(
  dir: string,
  caFile: string,
  file: string,
  name: string,
  extensions: string,
): Promise<Omit<KeyAndCertificate, 'ca'>> {
  const [key, csr, crt, ext] = ['key', 'csr', 'crt', 'ext'].map((type) =>
    join(dir, `${file}.${type}`),
  ) as [string, string, string, string];
  const [caKey, caCrt] = [join(dir, `${caFile}.key`), join(dir, `${caFile}.crt`)];
  await run(openssl, ['req', ...newKey, '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  await writeFile(ext, `${extensions}\n`);
  await run(openssl, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    caCrt,
    '-CAkey',
    caKey,
    '-set_serial',
    `0x${Buffer.from(file).toString('hex')}`,
    '-days',
    days,
    '-extfile',
    ext,
    '-out',
    crt,
  ]);
  return { key: await readFile(key, 'utf8'), cert: await readFile(crt, 'utf8') };
}

const serverExtensions = [
  'subjectAltName=IP:127.0.0.1,DNS:localhost',
  'extendedKeyUsage=serverAuth',
  'keyUsage=critical,digitalSignature',
].join('\n');
const clientExtensions = ['extendedKeyUsage=clientAuth', 'keyUsage=critical,digitalSignature'].join(
  '\n',
);

/**
 * Makes a CA, a server certificate and one client certificate per name (subject `CN=<name>`),
 * plus one client certificate from a second, untrusted CA.
 *
 * @example
 * ```ts
 * const pki = await createTestPki(['cc-mtls', 'intruder']); // once per test file
 * ```
 */
export async function createTestPki<const Name extends string>(
  names: readonly Name[],
): Promise<TestPki<Name>> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenwise-pki-'));
  try {
    await Promise.all([
      makeCa(dir, 'ca', 'tokenwise test CA'),
      makeCa(dir, 'other-ca', 'somebody else'),
    ]);
    const ca = await readFile(join(dir, 'ca.crt'), 'utf8');
    const [server, untrusted, ...clients] = (
      await Promise.all([
        issue(dir, 'ca', 'server', 'localhost', serverExtensions),
        issue(dir, 'other-ca', 'untrusted', names[0] ?? 'client', clientExtensions),
        ...names.map((name, i) => issue(dir, 'ca', `client-${i}`, name, clientExtensions)),
      ])
    ).map((pair) => ({ ...pair, ca }));
    return {
      ca,
      server: server as KeyAndCertificate,
      untrusted: untrusted as KeyAndCertificate,
      clients: Object.fromEntries(names.map((name, i) => [name, clients[i]])) as {
        [N in Name]: KeyAndCertificate;
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The certificate thumbprint of RFC 8705 §3.1 (`x5t#S256`): the base64url-encoded SHA-256 of the
 * certificate's DER encoding.
 *
 * @example
 * ```ts
 * expect(boundThumbprint).toBe(certificateThumbprint(pki.clients['cc-mtls'].cert));
 * ```
 * @see https://www.rfc-editor.org/rfc/rfc8705#section-3.1
 */
export function certificateThumbprint(cert: string | X509Certificate): string {
  const der = typeof cert === 'string' ? new X509Certificate(cert).raw : cert.raw;
  return createHash('sha256').update(der).digest('base64url');
}
