// Service tier: the database itself keeps the audit log append-only.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { recordAudit } from './audit.service.ts';
import { startTestApp, type TestApp } from '../test/app.ts';

let app: TestApp;
before(async () => {
  app = await startTestApp();
});
after(() => app.close());

test('audit rows cannot be changed or deleted, even with raw SQL', async () => {
  await recordAudit(app.ctx.db.prisma, { actor: null, action: 'test.append', comment: 'original' });
  const row = await app.ctx.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'test.append' } });
  // SQLite triggers refuse the change with an error; PostgreSQL rules turn it into a no-op.
  const attempt = (sql: string) => app.ctx.db.prisma.$executeRawUnsafe(sql).catch(() => 'refused');
  await attempt(`UPDATE "AuditEntry" SET "comment" = 'forged' WHERE "id" = ${row.id}`);
  await attempt(`DELETE FROM "AuditEntry" WHERE "id" = ${row.id}`);
  const still = await app.ctx.db.prisma.auditEntry.findUniqueOrThrow({ where: { id: row.id } });
  assert.equal(still.comment, 'original');
});
