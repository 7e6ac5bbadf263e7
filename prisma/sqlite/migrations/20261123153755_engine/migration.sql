-- AlterTable
ALTER TABLE "Project" ADD COLUMN "deployLockSince" DATETIME;
ALTER TABLE "Project" ADD COLUMN "deployLockTicket" INTEGER;
ALTER TABLE "Project" ADD COLUMN "releaseRemote" TEXT;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN "stagedChanges" TEXT;

-- CreateTable
CREATE TABLE "TargetRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ticketId" INTEGER NOT NULL,
    "targetId" INTEGER NOT NULL,
    "targetName" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "filesTransferred" INTEGER,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "TargetRun_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "TargetRun_ticketId_targetId_key" ON "TargetRun"("ticketId", "targetId");

