export { DuplicateTracker, emailKey } from "./duplicates.js";
export { describeMapping } from "./describe-mapping.js";
export { EVENT_COLUMN_ALIASES, eventColumnNamed, eventColumnOfMapKey, parseOccurrenceIds, type EventColumn, type EventColumns } from "./event-columns.js";
export { createRowMapper, inferMapping, normaliseColumnName, splitFullName } from "./mapping.js";
export type { ColumnMapping, MappingOptions } from "./mapping.js";
export { checkOverridesAgainst, mapKeyChoices, mapKeyTarget, overridesAsMap, parseIgnoredFields, parseMappingOverrides, registrantFieldNamed, type MapKeyTarget } from "./overrides.js";
export type { MappingOverrides } from "./overrides.js";
export { columnPaths, lookupPath, valueAt } from "./record-path.js";
export {
  EMAIL_MAX_LENGTH,
  LANGUAGES,
  NAME_MAX_LENGTH,
  NO_OF_EMPLOYEES,
  PURCHASING_TIME_FRAMES,
  QUESTION_VALUE_MAX_LENGTH,
  REGISTRANT_FIELDS,
  ROLES_IN_PURCHASE_PROCESS,
  registrantSchema,
} from "./schema.js";
export type { CustomQuestionAnswer, Language, NoOfEmployees, PurchasingTimeFrame, RegistrantBody, RegistrantField, RoleInPurchaseProcess } from "./schema.js";
export { validateRecord } from "./validate.js";
export type { ValidationResult } from "./validate.js";
