/**
 * Next.js gives pages their dynamic segments still percent-encoded (vercel/next.js#48058), while route
 * handlers get them decoded: `/experiment/ephys/caf%C3%A9` reaches a page as `caf%C3%A9`. Pages decode
 * once here; a malformed escape (`%ff`) names nothing, so it is undefined and the page a 404.
 */
export function decodePageSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
