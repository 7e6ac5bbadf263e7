// Opens the database through a Prisma driver adapter: SQLite (embedded default) or PostgreSQL.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Prisma as PrismaNS, PrismaClient as SqliteClient } from '../generated/sqlite/index.js';

const require = createRequire(import.meta.url);

/** The client type all code uses; both generated clients have the same models and methods. */
export type PrismaClient = SqliteClient;
export type Tx = PrismaNS.TransactionClient;
export type Prisma = typeof PrismaNS;
export type Provider = 'sqlite' | 'postgresql';

export interface Database {
  provider: Provider;
  prisma: PrismaClient;
  /** Runs fn in one database transaction; every write in it commits or none does. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Which provider a DATABASE_URL names. */
export function providerOf(url: string): Provider {
  return /^postgres(ql)?:\/\//.test(url) ? 'postgresql' : 'sqlite';
}

/** Opens a database: WAL and a busy timeout on SQLite, a connection pool on PostgreSQL. */
export async function openDatabase(url: string): Promise<Database> {
  const provider = providerOf(url);
  if (provider === 'postgresql') {
    const { PrismaClient } = require('../generated/postgresql/index.js');
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) }) as PrismaClient;
    await prisma.$connect();
    return {
      provider,
      prisma,
      transaction: (fn) => prisma.$transaction(fn, { maxWait: 10_000, timeout: 30_000 }),
      close: () => prisma.$disconnect(),
    };
  }
  return openSqlite(url);
}

// better-sqlite3 gives the adapter a single connection. An open interactive transaction would
// otherwise also swallow any query another request runs meanwhile (and roll it back with itself),
// so on SQLite every operation passes one gate, and a transaction holds the gate until it ends.
async function openSqlite(url: string): Promise<Database> {
  const { PrismaClient } = require('../generated/sqlite/index.js');
  const base = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url, timeout: 10_000 }) }) as PrismaClient;
  const gate = new Gate();
  const inTransaction = new AsyncLocalStorage<boolean>();
  const prisma = base.$extends({
    query: {
      $allOperations({ args, query }) {
        return inTransaction.getStore() ? query(args) : gate.run(() => query(args));
      },
    },
  }) as unknown as PrismaClient;
  await base.$connect();
  await base.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await base.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return {
    provider: 'sqlite',
    prisma,
    transaction: (fn) =>
      gate.run(() => inTransaction.run(true, () => prisma.$transaction(fn, { maxWait: 10_000, timeout: 30_000 }))),
    close: () => base.$disconnect(),
  };
}

/** A FIFO mutex for async work. */
class Gate {
  private tail: Promise<unknown> = Promise.resolve();
  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
