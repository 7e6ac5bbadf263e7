// Database tooling: one schema (prisma/schema.prisma, SQLite) is the source of truth.
//   node scripts/db.mjs generate          derive the PostgreSQL schema, generate both clients
//   node scripts/db.mjs migration NAME    write a new migration for both providers
//   node scripts/db.mjs deploy            apply migrations to DATABASE_URL (either provider)
import fs from 'node:fs';
import path from 'node:path';
import { prisma, root } from './prisma.mjs';

const schemaPath = path.join(root, 'prisma', 'schema.prisma');
const pgSchemaPath = path.join(root, 'prisma', 'postgresql', 'schema.prisma');
// The schema as of the newest migration: the "from" side of the next migration's diff.
const migratedPath = path.join(root, 'prisma', 'migrated.prisma');

export const providers = ['sqlite', 'postgresql'];

/** Rewrites the SQLite schema for PostgreSQL (provider and client output differ, nothing else). */
export function derivePostgresSchema(source) {
  const out = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output     = "../server/generated/sqlite"', 'output     = "../../server/generated/postgresql"');
  if (out === source || !out.includes('provider = "postgresql"') || !out.includes('generated/postgresql')) {
    throw new Error('prisma/schema.prisma no longer has the expected provider/output lines');
  }
  return '// Generated from prisma/schema.prisma by scripts/db.mjs: do not edit.\n' + out;
}

function writePostgresSchema() {
  fs.mkdirSync(path.dirname(pgSchemaPath), { recursive: true });
  fs.writeFileSync(pgSchemaPath, derivePostgresSchema(fs.readFileSync(schemaPath, 'utf8')));
}

/** Generates both Prisma clients (only when the schema changed since the last generation). */
export function generate({ force = false } = {}) {
  writePostgresSchema();
  const stamp = path.join(root, 'server', 'generated', '.schema-stamp');
  const current = fs.readFileSync(schemaPath, 'utf8') + fs.readFileSync(path.join(root, 'node_modules', 'prisma', 'package.json'), 'utf8');
  if (!force && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === current) return;
  prisma(['generate', '--schema', schemaPath], { quiet: true });
  prisma(['generate', '--schema', pgSchemaPath], { quiet: true });
  fs.writeFileSync(stamp, current);
}

function migration(name) {
  if (!/^[a-z0-9_]+$/.test(name ?? '')) throw new Error('usage: db.mjs migration <snake_case_name>');
  writePostgresSchema();
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const tmp = fs.mkdtempSync(path.join(root, 'node_modules', '.cache', 'gantry-mig-'));
  try {
    for (const provider of providers) {
      const to = provider === 'sqlite' ? schemaPath : pgSchemaPath;
      let from = ['--from-empty'];
      if (fs.existsSync(migratedPath)) {
        const fromFile = path.join(tmp, `${provider}.prisma`);
        const old = fs.readFileSync(migratedPath, 'utf8');
        fs.writeFileSync(fromFile, provider === 'sqlite' ? old : derivePostgresSchema(old));
        from = ['--from-schema-datamodel', fromFile];
      }
      const config = path.join(root, 'prisma', `${provider}.config.ts`);
      // The diff changes no database, but the adapter must be able to connect to one.
      const scratch = provider === 'sqlite' ? `file:${path.join(tmp, 'scratch.db')}` : (process.env.GANTRY_TEST_PG_URL ?? 'postgresql://root@127.0.0.1:5432/test');
      const sql = prisma(['migrate', 'diff', '--config', config, ...from, '--to-schema-datamodel', to, '--script'], {
        env: { DATABASE_URL: scratch },
        quiet: true,
      });
      const dir = path.join(root, 'prisma', provider, 'migrations', `${stamp}_${name}`);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'migration.sql'), sql + appendOnlyAudit(provider, !fs.existsSync(migratedPath)));
      const lock = path.join(root, 'prisma', provider, 'migrations', 'migration_lock.toml');
      fs.writeFileSync(lock, `# Written by scripts/db.mjs\nprovider = "${provider}"\n`);
      console.log(`wrote ${path.relative(root, dir)}/migration.sql`);
    }
    fs.copyFileSync(schemaPath, migratedPath);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The audit log is append-only: the database itself refuses UPDATE and DELETE on it.
function appendOnlyAudit(provider, first) {
  if (!first) return '';
  if (provider === 'sqlite') {
    return `
-- Append-only audit log
CREATE TRIGGER "AuditEntry_no_update" BEFORE UPDATE ON "AuditEntry" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER "AuditEntry_no_delete" BEFORE DELETE ON "AuditEntry" BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
`;
  }
  // Through the WebAssembly engine a migration is split at every ';', so no PL/pgSQL trigger body:
  // rules turn UPDATE and DELETE into no-ops instead.
  return `
-- Append-only audit log
CREATE RULE "AuditEntry_no_update" AS ON UPDATE TO "AuditEntry" DO INSTEAD NOTHING;
CREATE RULE "AuditEntry_no_delete" AS ON DELETE TO "AuditEntry" DO INSTEAD NOTHING;
`;
}

/** Applies every migration to the database DATABASE_URL names. */
export function deploy(databaseUrl = process.env.DATABASE_URL) {
  const provider = /^postgres(ql)?:\/\//.test(databaseUrl ?? '') ? 'postgresql' : 'sqlite';
  prisma(['migrate', 'deploy', '--config', path.join(root, 'prisma', `${provider}.config.ts`)], {
    env: { DATABASE_URL: databaseUrl },
    quiet: true,
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, arg] = process.argv.slice(2);
  if (command === 'generate') generate({ force: true });
  else if (command === 'migration') migration(arg);
  else if (command === 'deploy') deploy();
  else {
    console.error('usage: node scripts/db.mjs generate | migration NAME | deploy');
    process.exit(2);
  }
}
