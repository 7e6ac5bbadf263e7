// Prisma CLI configuration for PostgreSQL. The CLI uses adapter-pg 7: with 6.19, `migrate deploy`
// through the WebAssembly engine cannot deserialize PostgreSQL's `name` columns.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg-7';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, 'postgresql', 'schema.prisma'),
  migrations: { path: path.join(import.meta.dirname, 'postgresql', 'migrations') },
  async adapter() {
    return new PrismaPg({ connectionString: process.env.DATABASE_URL });
  },
});
