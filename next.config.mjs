/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'standalone',
  // Native module and the S3 SDK stay plain Node requires on the server instead of being bundled.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  // Migrations are read from disk at start; the standalone output must carry them.
  outputFileTracingIncludes: { '/*': ['./drizzle/**/*'] },
};

export default nextConfig;
