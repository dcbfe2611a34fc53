import { textOf } from "../push/rows.js";
import { splitFullName, type ColumnMapping } from "../registrant/index.js";
import type { OutputRow } from "../output/index.js";

/**
 * The person a record names, as its mapping reads them, for a row the run writes without reading the
 * record as a registrant (its event could not be read, or refused everyone: issue 20). Nothing is
 * checked: the cells are shown as they are.
 */
export function whoIn(fields: Record<string, unknown>, mapping: ColumnMapping): Pick<OutputRow, "email" | "first_name" | "last_name"> {
  const cell = (column: string | undefined): string => textOf(fields, column);
  const full = mapping.fullName === undefined ? undefined : splitFullName(cell(mapping.fullName));
  return {
    email: cell(mapping.fields.email),
    first_name: cell(mapping.fields.first_name) || (full?.first_name ?? ""),
    last_name: cell(mapping.fields.last_name) || (full?.last_name ?? ""),
  };
}
