export { csvCell, csvLine, outputFormatFromPath, type OutputFormat } from "./encode.js";
export { outputColumns, rejectColumns, type OutputRow, type RejectRow, type RowStatus } from "./row.js";
export { openRecordSink, RecordWriter, StreamRecordWriter, type RecordSink } from "./writer.js";
