export { DurableLog } from "./durable-log.js";
export { SpillFile } from "./spill-file.js";
export { EventLedger, stateWriteError, type DoneLine, type RunLine, type SendLine } from "./ledger.js";
export { lockDefaults, lockFileName, lostLockError, pidAlive, RunLock, type LockEvent, type LockOwner, type RunLockOptions } from "./lock.js";
export { SpoolQueue } from "./spool-queue.js";
