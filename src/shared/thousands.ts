/**
 * `12345` -> `"12,345"`, as `toLocaleString("en-US")` writes a whole number, without it: its first call
 * loads ICU's locale data, ~20 ms of a short run's start-up (issue 19). Fractions keep their digits.
 */
export function thousands(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const [whole = "", fraction] = String(Math.abs(value)).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}
