/** `parapet explain <rule-id>`: a rule's rationale, remediation, mappings and examples. */
import type { Config } from "../config/config.js";
import { UsageError } from "../errors.js";
import { didYouMean } from "../names.js";
import { renderExplanation } from "../rules/catalogue.js";
import type { CliOptions, CommandResult } from "./options.js";
import { activeRules } from "./settings.js";

export function explainCommand(options: CliOptions, cwd: string, config: Config | undefined): CommandResult {
  const args = options.paths.slice(1);
  if (args.length !== 1) throw new UsageError(`explain: takes one rule id (see parapet rules)${args.length > 1 ? `, got ${args.length}` : ""}`);
  const { all } = activeRules(options, cwd, config);
  const rule = all.find((r) => r.id === args[0]);
  if (!rule) throw new UsageError(`explain: no rule "${args[0]}"${didYouMean(args[0]!, all.map((r) => r.id))} (see parapet rules)`);
  return { code: 0, stdout: renderExplanation(rule), stderr: "" };
}
