/** What a run would do to one person: the plan a dry run prints (issue 13); `readmit`: approve again, or delete and add afresh (issue 17). */
export type PlanAction = "add" | "approve" | "readmit" | "cancel" | "deny" | "existing" | "unchanged" | "deferred";

export interface PlanEntry {
  /** Empty for a registrant --prune would cancel. */
  line: number | "";
  email: string;
  action: PlanAction;
}
