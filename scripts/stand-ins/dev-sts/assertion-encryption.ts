/**
 * Encrypts the signed Assertion of a response for a service provider that published an encryption
 * certificate, as SimpleSAMLphp, Shibboleth or Entra ID do when asked: AES-256-GCM for the assertion,
 * RSA-OAEP for its key, the result in an EncryptedAssertion in place of the Assertion. Done with
 * xml-encryption (what node-saml decrypts with), called on its own here: the STS must not share the
 * app's code paths (each side tests the other).
 */
import { X509Certificate } from 'node:crypto';
import { encrypt } from 'xml-encryption';
import { childElements, NS, readXml } from './xml-reading.js';

const AES256_GCM = 'http://www.w3.org/2009/xmlenc11#aes256-gcm';
const RSA_OAEP = 'http://www.w3.org/2001/04/xmlenc#rsa-oaep-mgf1p';

/** `xml` with its (signed) Assertion replaced by an EncryptedAssertion for the holder of `certPem`. */
export async function encryptAssertion(xml: string, certPem: string): Promise<string> {
  const root = readXml(xml).documentElement;
  const assertion = root && childElements(root, NS.assertion, 'Assertion')[0];
  if (!assertion) throw new Error('no Assertion to encrypt');
  const start = xml.search(/<(saml2?:)?Assertion[\s>]/);
  const end = xml.search(/<\/(saml2?:)?Assertion>/);
  if (start < 0 || end < 0) throw new Error('cannot find the Assertion in the serialised response');
  const closing = /<\/(saml2?:)?Assertion>/.exec(xml.slice(end))![0];
  // The assertion is encrypted as a document of its own: it carries the namespaces it inherited from
  // the Response (exclusive canonicalisation, which its signature uses, is the same either way).
  const inherited = [...root.attributes]
    .filter((a) => a.name.startsWith('xmlns:') && !new RegExp(`^<[^>]*\\s${a.name}=`).test(xml.slice(start)))
    .map((a) => ` ${a.name}="${a.value}"`)
    .join('');
  const original = xml.slice(start, end + closing.length);
  const assertionXml = original.replace(/^<[\w:]+/, (tag) => `${tag}${inherited}`);
  const publicKey = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'pem' });
  const encrypted = await new Promise<string>((resolve, reject) =>
    encrypt(
      assertionXml,
      {
        rsa_pub: Buffer.from(publicKey),
        pem: Buffer.from(certPem),
        encryptionAlgorithm: AES256_GCM,
        keyEncryptionAlgorithm: RSA_OAEP,
        disallowEncryptionWithInsecureAlgorithm: true,
      },
      (err: Error | null, result: string) => (err ? reject(err) : resolve(result)),
    ),
  );
  const prefix = /^<(saml2?:)?/.exec(assertionXml)![1] ?? '';
  const wrapper = `<${prefix}EncryptedAssertion${prefix ? '' : ` xmlns="${NS.assertion}"`}>${encrypted}</${prefix}EncryptedAssertion>`;
  return xml.slice(0, start) + wrapper + xml.slice(start + original.length);
}
