/**
 * A bare word in an expression (`encrypted = False`) that is no reference Terraform accepts:
 * not a variable, local, module, data source, `path`/`terraform`/`count`/`each`/`self`, and
 * not a resource (which takes `TYPE.NAME`). Terraform rejects the configuration; the reason
 * says what was probably meant instead of reading the word as a resource type.
 */

/** Booleans as other languages and YAML write them. */
const BOOLEAN_LIKE = /^(true|false|yes|no|on|off)$/i;
/** The null value as other languages write it. */
const NULL_LIKE = /^(null|none|nil|undefined|undef)$/i;

/** Why `word`, used on its own as a value, is not a Terraform value. */
export function bareWordReason(word: string): string {
  if (BOOLEAN_LIKE.test(word)) return `\`${word}\` is not a Terraform value; booleans are \`true\` and \`false\` (Terraform rejects the configuration)`;
  if (NULL_LIKE.test(word)) return `\`${word}\` is not a Terraform value; the null value is \`null\` (Terraform rejects the configuration)`;
  if (/^aws_\w+$/.test(word)) return `\`${word}\` is not a Terraform value: a resource is referred to as TYPE.NAME (${word}.NAME) (Terraform rejects the configuration)`;
  return `\`${word}\` is not a Terraform value or reference (Terraform rejects the configuration): write text in quotes ("${word}"), or refer to var.${word}, local.${word} or a resource as TYPE.NAME`;
}
