-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "deployLockSince" TIMESTAMP(3),
ADD COLUMN     "deployLockTicket" INTEGER,
ADD COLUMN     "releaseRemote" TEXT;

-- AlterTable
ALTER TABLE "Ticket" ADD COLUMN     "stagedChanges" TEXT;

-- CreateTable
CREATE TABLE "TargetRun" (
    "id" SERIAL NOT NULL,
    "ticketId" INTEGER NOT NULL,
    "targetId" INTEGER NOT NULL,
    "targetName" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "filesTransferred" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "TargetRun_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TargetRun_ticketId_targetId_key" ON "TargetRun"("ticketId", "targetId");

-- AddForeignKey
ALTER TABLE "TargetRun" ADD CONSTRAINT "TargetRun_ticketId_fkey" FOREIGN KEY ("ticketId") REFERENCES "Ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

