export { formatFromPath, INPUT_FORMATS, positionLabel } from "./format.js";
export type { InputFormat, RawRecord } from "./format.js";
export { openInputFile } from "./open.js";
export { readRecords } from "./read.js";
export type { ReadOptions } from "./read.js";
export type { InputDetection } from "./decode.js";
export { ENCODING_DISPLAY_NAMES, ENCODING_FLAG_VALUES, parseEncodingName } from "./sniff.js";
export type { DetectionBasis, EncodingRequest, TextEncoding } from "./sniff.js";
