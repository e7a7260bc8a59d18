/** Terraform's unary and binary operators. */
import { ABSENT, type Resolved, Unknown, firstUnknown, sameValue } from "../../../values/value.js";
import { EvalError, combineSafe } from "./guards.js";
import { tidy, toBool, toNumber } from "./conversions.js";

export function unary(op: string, v: Resolved): Resolved {
  return combineSafe([v], ([x]) => {
    if (op === "logicalNot") {
      const b = toBool(x!, "the operand of !");
      return b instanceof Unknown ? b : !b;
    }
    if (op === "negate") return -toNumber(x!, "the operand of -");
    throw new EvalError(`unsupported operator ${op}`);
  });
}

export function binary(op: string, left: Resolved, right: Resolved): Resolved {
  if (op === "logicalAnd" || op === "logicalOr") {
    const decisive = op === "logicalOr";
    const l = left instanceof Unknown ? left : toBool(left, `the operands of ${decisive ? "||" : "&&"}`);
    const r = right instanceof Unknown ? right : toBool(right, `the operands of ${decisive ? "||" : "&&"}`);
    if (l === decisive || r === decisive) return decisive;
    return combineSafe([l, r], ([a, b]) => {
      const x = toBool(a!, "an operand");
      const y = toBool(b!, "an operand");
      if (x instanceof Unknown) return x;
      if (y instanceof Unknown) return y;
      return decisive ? x || y : x && y;
    });
  }
  return combineSafe([left, right], ([a, b]) => {
    const x = a === ABSENT ? null : a!;
    const y = b === ABSENT ? null : b!;
    switch (op) {
      case "equal":
      case "notEqual": {
        const u = firstUnknown(x) ?? firstUnknown(y);
        // A list or object is never null, whatever its parts are (`var.rules != null`).
        if (u && !(x instanceof Unknown) && !(y instanceof Unknown) && (x === null) !== (y === null)) return op === "notEqual";
        if (u) return new Unknown(u.reason);
        const same = sameValue(x, y);
        return op === "equal" ? same : !same;
      }
      case "add":
        return tidy(toNumber(x, "the operands of +") + toNumber(y, "the operands of +"));
      case "subtract":
        return tidy(toNumber(x, "the operands of -") - toNumber(y, "the operands of -"));
      case "multiply":
        return tidy(toNumber(x, "the operands of *") * toNumber(y, "the operands of *"));
      case "divide": {
        const d = toNumber(y, "the operands of /");
        if (d === 0) throw new EvalError("division by zero");
        return tidy(toNumber(x, "the operands of /") / d);
      }
      case "modulo": {
        const d = toNumber(y, "the operands of %");
        if (d === 0) throw new EvalError("modulo by zero");
        return tidy(toNumber(x, "the operands of %") % d);
      }
      case "lessThan":
        return toNumber(x, "the operands of <") < toNumber(y, "the operands of <");
      case "lessThanOrEqual":
        return toNumber(x, "the operands of <=") <= toNumber(y, "the operands of <=");
      case "greaterThan":
        return toNumber(x, "the operands of >") > toNumber(y, "the operands of >");
      case "greaterThanOrEqual":
        return toNumber(x, "the operands of >=") >= toNumber(y, "the operands of >=");
      default:
        throw new EvalError(`unsupported operator ${op}`);
    }
  });
}
