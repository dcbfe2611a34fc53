export { DurableLog } from "./durable-log.js";
export { EventLedger, type DoneLine, type SendLine } from "./ledger.js";
export { RunLock } from "./lock.js";
