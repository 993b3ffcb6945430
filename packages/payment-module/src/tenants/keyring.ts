import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { TenderError } from '@tender/core';

const ALGORITHM = 'aes-256-gcm';
const FORMAT = 'v1';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** Accepts a 32-byte key as 64 hex characters or base64; anything else is a configuration error. */
export function parseKey(material: string, source: string): EncryptionKey {
  const trimmed = material.trim();
  const key = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new TenderError(
      'invalid_data',
      `${source} must be a 32-byte key, as 64 hex characters or base64 (e.g. \`openssl rand -base64 32\`).`,
    );
  }
  // The id names the key without revealing it, so rows can say which key sealed them.
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/**
 * The current key encrypts; it and any previous keys decrypt, so rows sealed before a rotation stay
 * readable until `rotateEncryptionKey` has re-encrypted them.
 */
export class Keyring {
  private readonly byId = new Map<string, EncryptionKey>();

  constructor(
    readonly current: EncryptionKey | undefined,
    previous: EncryptionKey[] = [],
  ) {
    for (const key of [...previous, ...(current ? [current] : [])]) this.byId.set(key.id, key);
  }

  /** From TENDER_ENCRYPTION_KEY and the comma-separated TENDER_PREVIOUS_ENCRYPTION_KEYS. */
  static fromEnvironment(env: NodeJS.ProcessEnv = process.env): Keyring {
    const current = env.TENDER_ENCRYPTION_KEY ? parseKey(env.TENDER_ENCRYPTION_KEY, 'TENDER_ENCRYPTION_KEY') : undefined;
    const previous = (env.TENDER_PREVIOUS_ENCRYPTION_KEYS ?? '')
      .split(',')
      .filter((k) => k.trim())
      .map((k, i) => parseKey(k, `TENDER_PREVIOUS_ENCRYPTION_KEYS[${i}]`));
    return new Keyring(current, previous);
  }

  private requireCurrent(): EncryptionKey {
    if (!this.current) {
      throw new TenderError(
        'invalid_data',
        'Storing tenant secrets needs TENDER_ENCRYPTION_KEY (32 bytes, hex or base64) in the environment.',
      );
    }
    return this.current;
  }

  encrypt(plaintext: string): { ciphertext: string; keyId: string } {
    const { id, key } = this.requireCurrent();
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    // The key id is authenticated too: a ciphertext cannot be relabelled to another key.
    cipher.setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return {
      ciphertext: [FORMAT, id, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join('.'),
      keyId: id,
    };
  }

  decrypt(ciphertext: string): string {
    const [format, id, iv, tag, body] = ciphertext.split('.');
    if (format !== FORMAT || !id || !iv || !tag || body === undefined) {
      throw new TenderError('invalid_data', 'A stored secret is not in a format this version can read.');
    }
    const entry = this.byId.get(id);
    if (!entry) {
      throw new TenderError(
        'invalid_data',
        `A stored secret was encrypted with key ${id}, which is neither TENDER_ENCRYPTION_KEY nor in TENDER_PREVIOUS_ENCRYPTION_KEYS.`,
      );
    }
    const decipher = createDecipheriv(ALGORITHM, entry.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new TenderError(
        'invalid_data',
        `A stored secret failed authentication under key ${id}: it was altered or the key is wrong.`,
      );
    }
  }
}
