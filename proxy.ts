import { NextResponse, type NextRequest } from 'next/server';
import { newCspNonce } from '@/lib/csp-nonce';

/**
 * Security headers on pages (Next.js "proxy", formerly middleware). Scripts run only with this request's
 * nonce, which Next.js puts on its own scripts, or when such a script loads them ('strict-dynamic'): the
 * H5Web island is imported by the page. The viewer's workers are same-origin files (worker-src 'self');
 * they compile wasm under their own policy, which comes with their response, not this one. Pages that
 * host the viewer also allow eval: H5Web's array code (ndarray's cwise) compiles its loops with
 * `new Function`. Styles allow inline: React and H5Web set style attributes, which nonces cannot cover.
 */
export function proxy(request: NextRequest): NextResponse {
  const nonce = newCspNonce();
  const dev = process.env.NODE_ENV === 'development';
  const hostsViewer = /^\/(files|experiment)\//.test(request.nextUrl.pathname);
  const policy = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev || hostsViewer ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  // Next.js reads the nonce from the request's policy while rendering.
  const headers = new Headers(request.headers);
  headers.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  response.headers.set('X-Content-Type-Options', 'nosniff');
  response.headers.set('Referrer-Policy', 'strict-origin-when-cross-origin');
  return response;
}

export const config = {
  // Pages only: not the APIs, files and static assets (the workers among them).
  matcher: [{ source: '/((?!api/|data/|_next/static|_next/image|viewer/|favicon.ico|robots.txt).*)' }],
};
