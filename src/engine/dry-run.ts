/**
 * `push --dry-run`: reads and validates everything, sends nothing. With credentials it still reads
 * each event and its form (so rows the event would refuse show up as invalid) and Zoom's registrant
 * list, and plans through the same code as the run (runPush without an add): what the real run would
 * do to each person. A run of many events (issue 20) plans each event in turn, then the total.
 */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Logger } from "pino";
import { ConfigError } from "../errors.js";
import type { RawRecord } from "../input/index.js";
import type { OutputRow } from "../output/index.js";
import type { ListedRegistrants } from "../push/listed.js";
import { runPush, type PlanAction, type PlanEntry } from "../push/run-push.js";
import { CostTally, type PushCost } from "../push/cost.js";
import { batchSize } from "../push/lanes.js";
import { Mentions } from "../push/mentions.js";
import { emptyRow } from "../push/rows.js";
import { retryRead } from "../preflight/read-retry.js";
import { resolveCredentials } from "../network/credentials.js";
import { loadNetwork, type Network } from "../network/load-network.js";
import type { ZoomSession } from "../network/zoom-session.js";
import type { ColumnMapping, RegistrantBody } from "../registrant/index.js";
import { systemClock } from "../shared/clock.js";
import { EventLedger, SpoolQueue } from "../state/index.js";
import type { EventRef } from "../zoom/index.js";
import { batchableType } from "./event-push.js";
import { eventsOutputPaths, outputPaths } from "./output-paths.js";
import type { PushEnv, PushSettings } from "./options.js";
import type { RecordsHost, StatusOptionsFor } from "./records.js";
import { eventKey } from "./row-event.js";
import type { Routing } from "./routing.js";
import { dryRunSummary, eventsDryRunSummary, type DryRunSummary } from "./summary.js";
import { whoIn } from "./who.js";

export interface DryRunHost extends RecordsHost {
  version: string;
  onMapping?: (mapping: ColumnMapping) => void;
  onWouldSend?: (line: number, body: RegistrantBody) => void;
  onPlan?: (entry: PlanEntry) => void;
}

export interface DryRunJob {
  settings: PushSettings;
  env: PushEnv;
  host: DryRunHost;
  logger: Logger;
  signal: AbortSignal;
  /** The input file's name (undefined for stdin and records): the state files are named beside --out. */
  fileName: string | undefined;
  onRow: (row: OutputRow, sentThisRun: boolean) => void;
  statusOptions: StatusOptionsFor;
}

/** What Zoom says of an event, for its plan; undefined without credentials. */
interface EventLook {
  checked: Awaited<ReturnType<Network["preflight"]>> | undefined;
  existing: ListedRegistrants | undefined;
  grantedScopes: readonly string[] | undefined;
}

/** A dry run of every record, for the one event or for each event the rows name. */
export async function dryRun(job: DryRunJob, routing: Routing, records: AsyncIterable<RawRecord>): Promise<DryRunSummary> {
  const session = await openLookSession(job);
  try {
    if (routing.kind === "single") return await dryRunEvent(job, session, routing, routing.event, records, job.settings.occurrenceIds, undefined);
    return await dryRunEvents(job, session, routing, records);
  } finally {
    await session?.close();
  }
}

/** Each event's plan in turn, the rows routed first (to files beyond a few hundred), then the total. */
async function dryRunEvents(job: DryRunJob, session: ZoomSession | undefined, routing: Extract<Routing, { kind: "events" }>, records: AsyncIterable<RawRecord>): Promise<DryRunSummary> {
  const startedAtMs = systemClock.now();
  const byEvent = new Map<string, { event: EventRef; rows: SpoolQueue<RawRecord> }>();
  const besidePath = join(tmpdir(), `zoomreg-dry-run-${process.pid}`);
  let rowsRead = 0;
  let invalid = 0;
  // As the run: nobody a row names whose event could not be read is pruned from any event.
  const unrouted = new Mentions();
  try {
    for await (const record of records) {
      rowsRead += 1;
      const routed = record.parseError === undefined ? routing.route(record.fields) : { ok: false as const, reason: record.parseError };
      if (!routed.ok) {
        invalid += 1;
        unrouted.addAllIn(record);
        job.onRow({ ...emptyRow(record.position, "invalid"), ...whoIn(record.fields, routing.mapping), error_message: routed.reason }, false);
        continue;
      }
      const key = eventKey(routed.event);
      let part = byEvent.get(key);
      if (part === undefined) {
        part = { event: routed.event, rows: new SpoolQueue<RawRecord>({ besidePath: `${besidePath}.${key.replace(":", "-")}`, maxInMemory: 500 }) };
        byEvent.set(key, part);
      }
      part.rows.push(record);
    }
    const events: DryRunSummary[] = [];
    for (const { event, rows } of byEvent.values()) {
      rows.close();
      const occurrenceIds = job.settings.event !== undefined && eventKey(job.settings.event) === eventKey(event) ? job.settings.occurrenceIds : [];
      events.push(await dryRunEvent(job, session, routing, event, rows, occurrenceIds, (email) => unrouted.has(email)));
    }
    return eventsDryRunSummary(events, { rowsRead, invalid, durationMs: systemClock.now() - startedAtMs });
  } finally {
    for (const { rows } of byEvent.values()) rows.dispose();
  }
}

/** One event's dry run: its rows checked (against its form, with credentials) and planned against its list. */
async function dryRunEvent(
  job: DryRunJob,
  session: ZoomSession | undefined,
  routing: Routing,
  event: EventRef,
  records: AsyncIterable<RawRecord>,
  occurrenceIds: readonly string[],
  mentionedElsewhere: ((email: string) => boolean) | undefined,
): Promise<DryRunSummary> {
  const { settings, host, logger, signal } = job;
  const zoom = session === undefined ? undefined : await lookAt(session, event, settings, logger, signal);
  const checked = zoom?.checked;
  const plan = new PlanCounts();
  const cost = new CostTally();
  let firstMapping: ColumnMapping | undefined;
  const ledger = zoom?.existing === undefined ? undefined : await existingLedger(statePathOf(job, routing, event), event);
  const summary = await runPush({
    records,
    event,
    addRegistrant: undefined,
    ...job.statusOptions(event.kind, zoom?.grantedScopes),
    occurrenceIds,
    autoApprove: settings.autoApprove,
    concurrency: settings.concurrency,
    ratePerSecond: settings.ratePerSecond,
    writeRow: job.onRow,
    writeReject: () => undefined,
    mapping: { overrides: settings.overrides, ...(checked === undefined ? {} : { questionTitles: checked.questionTitles }) },
    ...(checked === undefined ? {} : { checkRow: checked.checkRow, checkColumns: checked.checkColumns, checkOccurrences: checked.checkOccurrences }),
    onMapping: (found) => {
      if (firstMapping !== undefined) return;
      firstMapping = found;
      host.onMapping?.(found);
    },
    onWouldSend: (line, body, rowOccurrences) => {
      cost.add(body, rowOccurrences);
      host.onWouldSend?.(line, body);
    },
    ...(zoom?.existing === undefined
      ? {}
      : {
          existing: zoom.existing,
          onPlan: (entry: PlanEntry) => {
            plan.add(entry);
            host.onPlan?.(entry);
          },
        }),
    ...(ledger === undefined ? {} : { ledger }),
    ...(settings.prune === undefined ? {} : { prune: { maxPrune: settings.prune, ...(mentionedElsewhere === undefined ? {} : { mentioned: mentionedElsewhere }) } }),
    clock: systemClock,
    random: Math.random,
    logger,
    signal,
  }).finally(() => ledger?.close());
  if (summary.fatalError !== undefined) throw summary.fatalError;
  return dryRunSummary(summary, event, costOf(settings, cost, event, checked, firstMapping), zoom?.existing === undefined ? undefined : plan);
}

function costOf(settings: PushSettings, cost: CostTally, event: EventRef, checked: EventLook["checked"], mapping: ColumnMapping | undefined): PushCost {
  const batches = settings.batch === "never" ? "no" : settings.batch === "always" ? "yes" : checked === undefined ? "if the event takes batches" : batchableType(event, checked.event.type) ? "yes" : "no";
  const limits = { lightPerSecond: settings.ratePerSecond, heavyPerSecond: settings.batchRatePerSecond, heavyPerDay: settings.heavyPerDay, batchSize };
  return cost.estimate(batches, limits, mapping);
}

/** A session to read events with, when there are credentials; without, the dry run checks rows against Zoom's limits only. */
async function openLookSession(job: DryRunJob): Promise<ZoomSession | undefined> {
  try {
    resolveCredentials(job.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    job.logger.debug("no credentials: the dry run checks rows against Zoom's limits only, not against the event's form");
    return undefined;
  }
  const { openZoomSession } = await loadNetwork();
  const session = openZoomSession(job.env, { connections: 2, timeoutMs: job.settings.timeoutMs, userAgent: `zoomreg/${job.host.version}` });
  try {
    await retryRead(() => session.tokens.getToken(job.signal), { clock: systemClock, random: Math.random, signal: job.signal, logger: job.logger });
  } catch (error) {
    await session.close();
    throw error;
  }
  return session;
}

/** The event and its form (the preflight), and Zoom's registrant list (for the plan). */
async function lookAt(session: ZoomSession, event: EventRef, settings: PushSettings, logger: Logger, signal: AbortSignal): Promise<EventLook> {
  const { preflight, listExisting } = await loadNetwork();
  const reads = { clock: systemClock, random: Math.random, signal, logger };
  const checked = settings.preflight ? await preflight(session.client, event, { ...reads, occurrenceIds: settings.occurrenceIds }) : undefined;
  const existing = settings.reconcile ? await listExisting((target, options) => session.client.listRegistrants(target, options), event, { ...reads, ratePerSecond: settings.statusRatePerSecond }) : undefined;
  return { checked, existing, grantedScopes: session.tokens.tokenInfo()?.scopes };
}

/** The event's state file: the one the real run would use (a run of many events keeps one per event beside --out). */
function statePathOf(job: DryRunJob, routing: Routing, event: EventRef): string {
  const inputPath = job.fileName === "-" ? undefined : job.fileName;
  if (routing.kind === "single") return outputPaths(job.host.cwd, job.settings.paths, event, inputPath).statePath;
  return eventsOutputPaths(job.host.cwd, job.settings.paths, inputPath).statePathOf(event);
}

/** The state file of the event, when there is one, for a dry run's plan (opened to read: nothing is written). */
async function existingLedger(statePath: string, event: EventRef): Promise<EventLedger<OutputRow> | undefined> {
  if (!existsSync(statePath)) return undefined;
  return EventLedger.open<OutputRow>(statePath, eventKey(event), new Date(systemClock.now()));
}

/** A dry run's plan: how many people each action concerns, and who is approved, cancelled or denied. */
class PlanCounts {
  readonly counts: Record<PlanAction, number> = { add: 0, approve: 0, readmit: 0, cancel: 0, deny: 0, existing: 0, unchanged: 0, deferred: 0 };
  readonly changes: PlanEntry[] = [];
  add(entry: PlanEntry): void {
    this.counts[entry.action] = this.counts[entry.action] + 1;
    if (entry.action === "approve" || entry.action === "readmit" || entry.action === "cancel" || entry.action === "deny") this.changes.push(entry);
  }
}
