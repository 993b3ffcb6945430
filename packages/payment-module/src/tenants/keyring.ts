import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { TenderError } from '@tender/core';

const ALGORITHM = 'aes-256-gcm';
/** v2 binds the row the secret belongs to; v1 (the key id only) is still read, and upgraded on read. */
const FORMAT = 'v2';
const LEGACY_FORMAT = 'v1';
const KEY_HINT = 'make one with `openssl rand -base64 32`';
/** A random 32-byte key has about 30 distinct bytes; a pattern (all zeros, "aaaa…") has a handful. */
const MIN_DISTINCT_BYTES = 16;

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The row a sealed secret belongs to: authenticated with it, so it cannot be copied onto another row. */
export interface SecretBinding {
  tenant: string;
  providerId: string;
}

function decodeKey(material: string): Buffer | undefined {
  if (/^[0-9a-f]{64}$/i.test(material)) return Buffer.from(material, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(material)) return Buffer.from(material, 'base64');
  return undefined;
}

/** What is wrong with a key's material, said after its name ("… must be a 32-byte key"), or undefined. */
export function keyProblem(material: string): string | undefined {
  const key = decodeKey(material.trim());
  if (key?.length !== 32) return `must be a 32-byte key, as 64 hex characters or base64: ${KEY_HINT}`;
  if (new Set(key).size < MIN_DISTINCT_BYTES) return `is not a random key (it repeats a few byte values): ${KEY_HINT}`;
  return undefined;
}

/** Accepts a random 32-byte key as 64 hex characters or base64; anything else is a configuration error. */
export function parseKey(material: string, source: string): EncryptionKey {
  const problem = keyProblem(material);
  if (problem) throw new TenderError('invalid_data', `${source} ${problem}.`);
  const key = decodeKey(material.trim()) as Buffer;
  // The id names the key without revealing it, so rows can say which key sealed them.
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

/** v2: the format, key id, tenant and provider, unambiguously joined. v1: the key id alone. */
function associatedData(format: string, keyId: string, binding: SecretBinding): Buffer {
  if (format === LEGACY_FORMAT) return Buffer.from(keyId);
  return Buffer.from(JSON.stringify([format, keyId, binding.tenant, binding.providerId]));
}

/** The module's keyring: `encryptionKey` / `previousEncryptionKeys` when given, else the environment. */
export function createKeyring(options: { encryptionKey?: string; previousEncryptionKeys?: string[] }): Keyring {
  if (options.encryptionKey === undefined) return Keyring.fromEnvironment();
  return new Keyring(
    parseKey(options.encryptionKey, 'encryptionKey'),
    (options.previousEncryptionKeys ?? []).map((k, i) => parseKey(k, `previousEncryptionKeys[${i}]`)),
  );
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
        `Storing tenant secrets needs TENDER_ENCRYPTION_KEY (32 bytes, hex or base64) in the environment: ${KEY_HINT}.`,
      );
    }
    return this.current;
  }

  encrypt(plaintext: string, binding: SecretBinding): { ciphertext: string; keyId: string } {
    const { id, key } = this.requireCurrent();
    const iv = randomBytes(12);
    const cipher = createCipheriv(ALGORITHM, key, iv);
    cipher.setAAD(associatedData(FORMAT, id, binding));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return {
      ciphertext: [FORMAT, id, iv.toString('base64'), tag.toString('base64'), body.toString('base64')].join('.'),
      keyId: id,
    };
  }

  /** False for a legacy-format ciphertext or one sealed by a previous key: `rotateEncryptionKey` re-encrypts it. */
  isCurrent(ciphertext: string): boolean {
    const [format, id] = ciphertext.split('.');
    return format === FORMAT && id !== undefined && id === this.current?.id;
  }

  /**
   * True for a legacy-format ciphertext sealed by the current key: re-sealing it changes the format only,
   * so processes that have the same keys keep reading it (re-keying waits for `rotateEncryptionKey`).
   */
  isLegacyUnderCurrentKey(ciphertext: string): boolean {
    const [format, id] = ciphertext.split('.');
    return format === LEGACY_FORMAT && id !== undefined && id === this.current?.id;
  }

  decrypt(ciphertext: string, binding: SecretBinding): string {
    const [format, id, iv, tag, body] = ciphertext.split('.');
    if ((format !== FORMAT && format !== LEGACY_FORMAT) || !id || !iv || !tag || body === undefined) {
      throw new TenderError('invalid_data', 'A stored secret is not in a format this version can read.');
    }
    const entry = this.byId.get(id);
    if (!entry) {
      throw new TenderError(
        'invalid_data',
        `A stored secret was encrypted with key ${id}, which is neither TENDER_ENCRYPTION_KEY nor in TENDER_PREVIOUS_ENCRYPTION_KEYS.`,
      );
    }
    // A full-length tag only: GCM would otherwise accept a truncated one, which is easier to forge.
    const decipher = createDecipheriv(ALGORITHM, entry.key, Buffer.from(iv, 'base64'), { authTagLength: 16 });
    try {
      decipher.setAAD(associatedData(format, id, binding));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new TenderError(
        'invalid_data',
        `A stored secret failed authentication under key ${id}: it was altered, belongs to another tenant or provider, or the key is wrong.`,
      );
    }
  }
}
