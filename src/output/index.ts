export { csvCell, csvFormulaModes, csvLine, outputFormatFromPath, type CsvFormulas, type OutputFormat } from "./encode.js";
export {
  eventOutputCellKinds,
  eventOutputColumns,
  eventRejectCellKinds,
  eventRejectColumns,
  formulaGuardedColumns,
  outputCellKinds,
  outputColumns,
  rejectCellKinds,
  rejectColumns,
  type CellKind,
  type EventOutputRow,
  type EventRejectRow,
  type OutputRow,
  type RejectRow,
  type RowStatus,
} from "./row.js";
export { openRecordSink, recordLayout, RecordWriter, StreamRecordWriter, type RecordLayout, type RecordSink } from "./writer.js";
