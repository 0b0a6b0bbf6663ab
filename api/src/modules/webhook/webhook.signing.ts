import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** `whsec_` + 32 random bytes, base64url. Receivers use the whole string, as UTF-8 bytes, as the HMAC key. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `v1=` + hex HMAC-SHA256 of `<timestamp>.<body>` (docs/webhooks.md). */
export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The headers of one attempt: one `v1=` entry per secret that signs (two during a rotation's overlap). */
export function signedHeaders(eventId: string, body: string, secrets: readonly string[], now = Date.now()): Record<string, string> {
  const timestamp = Math.floor(now / 1000);
  return {
    'Webhook-Id': eventId,
    'Webhook-Timestamp': String(timestamp),
    'Webhook-Signature': secrets.map((secret) => signatureOf(secret, timestamp, body)).join(', '),
  };
}

/**
 * Secrets at rest: AES-256-GCM under a key derived from AUTH_SECRET, so the database alone (a dump,
 * a replica, a reader with SELECT) cannot sign for a webhook. Rotating AUTH_SECRET therefore also
 * means rotating every webhook secret (docs/webhooks.md).
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(authSecret: string) {
    this.key = Buffer.from(hkdfSync('sha256', authSecret, 'accountable', 'webhook-secret/v1', 32));
  }

  seal(secret: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${sealed.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  open(ciphertext: string): string {
    const [version, iv, sealed, tag] = ciphertext.split('.');
    if (version !== 'v1' || !iv || !sealed || !tag) throw new Error('Unknown webhook secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
  }
}
