import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

// Every page, the 404 too, is rendered per request: a prerendered page's scripts have no nonce, and the
// Content-Security-Policy (proxy.ts) refuses them.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'Braingeneers Search', template: '%s · Braingeneers Search' },
  description: 'Search the Braingeneers experiments bucket and look inside recordings without downloading them.',
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="site-header">
          <a href="/">Braingeneers Search</a>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
