/**
 * Zoom's list of an event's registrants, as a push looks people up in it: by email, once a row.
 * Kept small (issue 11, "bounded memory"): a status byte per person, keyed by the email's hash, and
 * the registrant id and join_url only for registrations the state file does not already hold. On a
 * nightly re-run that is nearly nobody: 200,000 listed people took 33 MB as a Map of objects, and
 * take ~5 MB here.
 */
import { HashIndex, withLength } from "../shared/hash-index.js";

export interface ExistingRegistrant {
  registrantId: string;
  joinUrl: string;
  status: string;
}

/** The part of the ledger's row for a person that the list needs: what it left out for them. */
export interface LedgerRegistration {
  registrant_id: string;
  join_url: string;
}

/** What a push asks of the list (a Map of emails to registrants serves too, in tests). */
export interface RegistrantLookup {
  /** `ledgerRow`: the ledger's last row for this email, which holds what the list may have left out. */
  get(email: string, ledgerRow?: LedgerRegistration): ExistingRegistrant | undefined;
  has(email: string): boolean;
}

/**
 * A text per entry number: in memory by default; a run gives the list a file beside the state file
 * (`SpillFile`), so that registrations the ledger does not hold cost memory only for their position.
 */
export interface EntryTexts {
  set(entry: number, text: string): void;
  /** "" for an entry never set. */
  get(entry: number): string;
}

class TextsInMemory implements EntryTexts {
  private readonly texts: string[] = [];
  set(entry: number, text: string): void {
    this.texts[entry] = text;
  }
  get(entry: number): string {
    return this.texts[entry] ?? "";
  }
}

/** Between the fields of a kept registration: no email, registrant id or URL holds a line break. */
const separator = "\n";

/** Zoom's three lists; 0 is "not held". */
const statusCodes = ["", "approved", "pending", "denied"] as const;

export class ListedRegistrants implements RegistrantLookup {
  private statuses = new Uint8Array(1 << 12);
  private readonly index = new HashIndex((entry) => {
    this.statuses = withLength(this.statuses, entry + 1);
  });
  /**
   * `notInLedger`, by entry, for the people whose registration the ledger does not hold: email, id and
   * join_url in one text, the email to check against. "" for the others.
   */
  constructor(private readonly notInLedger: EntryTexts = new TextsInMemory()) {}

  get size(): number {
    return this.index.size;
  }

  /**
   * `inLedger`: the ledger's row for this email names this registration with its join_url, so neither
   * is kept; `get` takes them from that row.
   */
  set(email: string, registrant: ExistingRegistrant, inLedger: boolean): void {
    const entry = this.index.add(email);
    this.statuses[entry] = Math.max(0, statusCodes.indexOf(registrant.status as (typeof statusCodes)[number]));
    this.notInLedger.set(entry, inLedger ? "" : [email, registrant.registrantId, registrant.joinUrl].join(separator));
  }

  get(email: string, ledgerRow?: LedgerRegistration): ExistingRegistrant | undefined {
    const entry = this.index.find(email);
    if (entry === -1) return undefined;
    const status = statusCodes[this.statuses[entry] ?? 0] ?? "";
    const kept = this.notInLedger.get(entry);
    if (kept !== "") {
      const [keptEmail, registrantId = "", joinUrl = ""] = kept.split(separator);
      return keptEmail === email ? { registrantId, joinUrl, status } : undefined;
    }
    // Held by the ledger: without its row (another email sharing the hash), this person is not known.
    return ledgerRow === undefined || ledgerRow.registrant_id === "" ? undefined : { registrantId: ledgerRow.registrant_id, joinUrl: ledgerRow.join_url, status };
  }

  has(email: string): boolean {
    return this.index.find(email) !== -1;
  }
}
