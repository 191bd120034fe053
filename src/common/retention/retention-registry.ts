// Where modules plug in what the scheduled retention run removes, and what it must keep.
// Retention lives in common and knows no module: each module registers its own rules
// (and the rows it still needs of others) at init, so the dependency points from the
// modules to retention, never back. A module added later registers a rule the same way
// without retention changing.
import { Injectable } from '@nestjs/common';
import type { RetentionStatements } from './retention-statements';

export interface RetentionRule {
  /** Labels logs and the `rule` label of kiln_retention_removed_total, e.g. `tasks`. */
  name: string;
  /**
   * Removes at most `limit` of the rule's expired rows, in statements that each touch at
   * most that many rows, and says how many went. Fewer than `limit` means done for now.
   * Each statement runs through `statements`, which times it for the run's report.
   */
  purgeBatch(limit: number, statements: RetentionStatements): Promise<number>;
}

/** Ids of rows of `subject` (e.g. `tasks`) that another module still references. */
export type RetentionHold = () => Promise<readonly string[]>;

@Injectable()
export class RetentionRegistry {
  private readonly ruleList: RetentionRule[] = [];
  private readonly holdsBySubject = new Map<string, RetentionHold[]>();

  register(rule: RetentionRule): void {
    if (this.ruleList.some((known) => known.name === rule.name))
      throw new Error(`A retention rule named ${rule.name} is already registered`);
    this.ruleList.push(rule);
  }

  /** Keeps the ids `hold` returns of `subject` whatever their age. */
  hold(subject: string, hold: RetentionHold): void {
    this.holdsBySubject.set(subject, [...(this.holdsBySubject.get(subject) ?? []), hold]);
  }

  get rules(): readonly RetentionRule[] {
    return this.ruleList;
  }

  /** Every id of `subject` some module holds, asked afresh at each call. */
  async held(subject: string): Promise<Set<string>> {
    const lists = await Promise.all((this.holdsBySubject.get(subject) ?? []).map((hold) => hold()));
    return new Set(lists.flat());
  }
}
