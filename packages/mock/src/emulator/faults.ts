/**
 * Fault rules a test installs through the control API: "answer operation X with status S
 * in shape E for the next N calls", "delay it by D ms" or "drop the connection". Rules are
 * consumed in the order they were added; a rule with `times` left at 0 is gone.
 */
export interface FaultRuleInput {
  /** An operationId of the spec, or "*" for every operation. */
  operation: string;
  /** Answer with this documented status (the body is the spec's example for it). */
  status?: number | undefined;
  /** The example to answer with (`fault`, `native`, `apiGateway`, …); default: the first. */
  example?: string | undefined;
  /** Wait this long before handling (or answering) the call. */
  delayMs?: number | undefined;
  /** Close the connection without an answer. */
  drop?: boolean | undefined;
  /** How many calls the rule applies to (default 1). */
  times?: number | undefined;
}

export interface FaultRule {
  id: number;
  operation: string;
  status: number | undefined;
  example: string | undefined;
  delayMs: number;
  drop: boolean;
  remaining: number;
}

/** Bounded, so a runaway test cannot grow the mock without limit. */
export const MAX_RULES = 1000;
const MAX_DELAY_MS = 120_000;
const MAX_TIMES = 1_000_000;

export class FaultRules {
  private rules: FaultRule[] = [];
  private nextId = 1;

  constructor(
    private readonly isOperation: (operationId: string) => boolean,
    private readonly isStatus: (operationId: string, status: number) => boolean,
  ) {}

  /** Throws a message meant for the caller when the rule is not valid. */
  add(input: FaultRuleInput): FaultRule {
    const where = "fault rule";
    if (typeof input !== "object" || input === null)
      throw new Error(`${where}: the body must be a JSON object`);
    const { operation, status, example, delayMs = 0, drop = false, times = 1 } = input;
    if (typeof operation !== "string" || (operation !== "*" && !this.isOperation(operation)))
      throw new Error(
        `${where}: "operation" must be "*" or an operationId of the spec, got ${JSON.stringify(operation)}`,
      );
    if (
      status !== undefined &&
      (!Number.isInteger(status) ||
        (operation !== "*" ? !this.isStatus(operation, status) : status < 100 || status > 599))
    )
      throw new Error(
        `${where}: "status" ${JSON.stringify(status)} is not a status the spec documents for ${operation}`,
      );
    if (example !== undefined && typeof example !== "string")
      throw new Error(`${where}: "example" must be a string`);
    if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > MAX_DELAY_MS)
      throw new Error(`${where}: "delayMs" must be an integer from 0 to ${MAX_DELAY_MS}`);
    if (typeof drop !== "boolean") throw new Error(`${where}: "drop" must be a boolean`);
    if (!Number.isInteger(times) || times < 1 || times > MAX_TIMES)
      throw new Error(`${where}: "times" must be an integer from 1 to ${MAX_TIMES}`);
    if (status === undefined && !drop && delayMs === 0)
      throw new Error(`${where}: give at least one of "status", "delayMs" or "drop"`);
    if (this.rules.length >= MAX_RULES)
      throw new Error(`${where}: at most ${MAX_RULES} rules at a time`);
    const rule: FaultRule = {
      id: this.nextId++,
      operation,
      status,
      example,
      delayMs,
      drop,
      remaining: times,
    };
    this.rules.push(rule);
    return rule;
  }

  /** The first rule for this operation, used up by one call; undefined when none applies. */
  take(operationId: string): FaultRule | undefined {
    if (this.rules.length === 0) return undefined;
    const index = this.rules.findIndex(
      (rule) => rule.operation === operationId || rule.operation === "*",
    );
    if (index < 0) return undefined;
    const rule = this.rules[index]!;
    if (--rule.remaining <= 0) this.rules.splice(index, 1);
    return rule;
  }

  list(): FaultRule[] {
    return this.rules.map((rule) => ({ ...rule }));
  }

  clear(): void {
    this.rules = [];
  }
}
