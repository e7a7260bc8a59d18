/** `parapet rules`: the active rules, as a table or (`--format json`) with their metadata. */
import type { Config } from "../config/config.js";
import { renderRuleList } from "../rules/catalogue.js";
import type { CliOptions, CommandResult } from "./options.js";
import { activeRules } from "./settings.js";

export function rulesCommand(options: CliOptions, cwd: string, config: Config | undefined): CommandResult {
  const { active } = activeRules(options, cwd, config);
  return { code: 0, stdout: renderRuleList(active, options.format === "json" ? "json" : "text"), stderr: "" };
}
