// The benchmark's arithmetic and its table: pure functions over what the runs recorded.

/**
 * Nearest-rank percentile of unsorted samples, or null without any.
 * @param {readonly number[]} samples
 * @param {number} share 0..1
 * @returns {number | null}
 */
export function percentile(samples, share) {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(share * sorted.length)));
  return sorted[rank - 1] ?? null;
}

/**
 * @param {readonly number[]} samples
 * @returns {{ count: number, p50: number | null, p99: number | null, max: number | null }}
 */
export function latencySummary(samples) {
  const round = (/** @type {number | null} */ value) => (value === null ? null : Math.round(value));
  return { count: samples.length, p50: round(percentile(samples, 0.5)), p99: round(percentile(samples, 0.99)), max: round(percentile(samples, 1)) };
}

/**
 * @typedef {object} RateWindow
 * @property {number} requests add requests the fake received in the window (429s included)
 * @property {number} rateLimited of them answered 429
 * @property {number | null} rateLimitedShare
 * @property {number | null} requestsPerSecond received (429s included), averaged over the window's whole seconds
 * @property {number | null} acceptedPerSecond received and not answered 429 (what the label's budget counts), averaged likewise
 * @property {number | null} shareOfLimit acceptedPerSecond / the label's limit
 * @property {number} seconds whole seconds the rates are averaged over
 */

/**
 * Rates of the requests one label received, from their arrival times at the fake, over the whole run
 * and over the part after `steadyAfterMs` (the pacer starts at the plan's ceiling and learns the rate
 * that works below it; the target is about the rate it settles at).
 *
 * Rates are counted in whole seconds from the first arrival, as a dashboard would, and averaged over
 * the complete ones: the last second is partial (the input ran out) and left out. Counting intervals
 * between arrivals instead ((n - 1) / span) is biased by where the window's edges fall in the gate's
 * bursts, by up to a request per window. 429s are counted over every arrival in the window.
 * @param {readonly number[]} arrivalsMs
 * @param {readonly number[]} statuses
 * @param {number | undefined} limitPerSecond
 * @param {number} steadyAfterMs a whole number of seconds, in ms
 * @returns {{ all: RateWindow, steady: RateWindow, acceptedPerWholeSecond: number[], rateLimitedPerWholeSecond: number[] }}
 */
export function arrivalRates(arrivalsMs, statuses, limitPerSecond, steadyAfterMs) {
  const firstMs = arrivalsMs[0] ?? 0;
  const lastMs = arrivalsMs.at(-1) ?? 0;
  const completeSeconds = Math.floor((lastMs - firstMs) / 1000);
  /** @type {number[]} */
  const acceptedPerWholeSecond = [];
  /** @type {number[]} */
  const rateLimitedPerWholeSecond = [];
  arrivalsMs.forEach((atMs, index) => {
    const second = Math.floor((atMs - firstMs) / 1000);
    while (acceptedPerWholeSecond.length <= second) {
      acceptedPerWholeSecond.push(0);
      rateLimitedPerWholeSecond.push(0);
    }
    const counts = statuses[index] === 429 ? rateLimitedPerWholeSecond : acceptedPerWholeSecond;
    counts[second] = (counts[second] ?? 0) + 1;
  });
  const window = (/** @type {number} */ fromSecond) => {
    let requests = 0;
    let rateLimited = 0;
    for (let second = fromSecond; second < acceptedPerWholeSecond.length; second += 1) {
      requests += (acceptedPerWholeSecond[second] ?? 0) + (rateLimitedPerWholeSecond[second] ?? 0);
      rateLimited += rateLimitedPerWholeSecond[second] ?? 0;
    }
    const seconds = Math.max(0, completeSeconds - fromSecond);
    const sum = (/** @type {readonly number[]} */ perSecond) => perSecond.slice(fromSecond, completeSeconds).reduce((total, count) => total + count, 0);
    const acceptedPerSecond = seconds === 0 ? null : sum(acceptedPerWholeSecond) / seconds;
    return {
      requests,
      rateLimited,
      rateLimitedShare: requests === 0 ? null : round4(rateLimited / requests),
      requestsPerSecond: seconds === 0 ? null : round2((sum(acceptedPerWholeSecond) + sum(rateLimitedPerWholeSecond)) / seconds),
      acceptedPerSecond: round2(acceptedPerSecond),
      shareOfLimit: acceptedPerSecond === null || limitPerSecond === undefined ? null : round4(acceptedPerSecond / limitPerSecond),
      seconds,
    };
  };
  return { all: window(0), steady: window(Math.round(steadyAfterMs / 1000)), acceptedPerWholeSecond, rateLimitedPerWholeSecond };
}

/** @param {number | null} value */
export function round2(value) {
  return value === null ? null : Math.round(value * 100) / 100;
}

/** @param {number | null} value */
export function round4(value) {
  return value === null ? null : Math.round(value * 10_000) / 10_000;
}

/**
 * A plain-text table: the first row is the header, columns are padded to their widest cell.
 * @param {readonly (readonly string[])[]} rows
 * @returns {string}
 */
export function formatTable(rows) {
  /** @type {number[]} */
  const widths = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));
  const line = (/** @type {readonly string[]} */ row) => row.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join("  ");
  const [header = [], ...body] = rows;
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...body.map(line)].join("\n");
}

/**
 * A number for the table: `-` when unknown.
 * @param {number | null | undefined} value
 * @param {number} [digits]
 */
export function cell(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return "-";
  return value.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * A share as a percentage for the table.
 * @param {number | null | undefined} share
 * @param {number} [digits]
 */
export function percent(share, digits = 1) {
  return share === null || share === undefined ? "-" : `${(share * 100).toFixed(digits)}%`;
}
