/** A new nonce for a page's Content-Security-Policy: unguessable, one per response. */
export function newCspNonce(): string {
  return Buffer.from(crypto.randomUUID()).toString('base64');
}
