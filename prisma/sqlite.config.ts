// Prisma CLI configuration for SQLite: the WebAssembly schema engine through a driver adapter.
import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(import.meta.dirname, 'schema.prisma'),
  migrations: { path: path.join(import.meta.dirname, 'sqlite', 'migrations') },
  async adapter() {
    return new PrismaBetterSQLite3({ url: process.env.DATABASE_URL ?? 'file:./data/gantry.db' });
  },
});
