export { formatFromPath, INPUT_FORMATS, positionLabel } from "./format.js";
export type { InputFormat, RawRecord } from "./format.js";
export { openInputFile } from "./open.js";
export { readRecords } from "./read.js";
