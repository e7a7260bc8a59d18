/** The table of Terraform's built-in functions that parapet evaluates, and those it never does. */
import { lookupTable } from "../../../../values/value.js";
import { COLLECTION_FUNCTIONS } from "./collections.js";
import { ENCODING_FUNCTIONS } from "./encoding.js";
import { type FunctionSpec } from "./spec.js";
import { NETWORK_FUNCTIONS } from "./network.js";
import { NUMBER_FUNCTIONS } from "./numbers.js";
import { STRING_FUNCTIONS } from "./strings.js";

/** Functions whose value parapet never computes, with the reason. */
export const UNEVALUATED: Record<string, string> = lookupTable({
  filebase64sha256: "reads a file, which parapet does not do",
  filebase64sha512: "reads a file, which parapet does not do",
  filemd5: "reads a file, which parapet does not do",
  filesha1: "reads a file, which parapet does not do",
  filesha256: "reads a file, which parapet does not do",
  filesha512: "reads a file, which parapet does not do",
  fileexists: "checks a file, which parapet does not do",
  fileset: "lists files, which parapet does not do",
  timestamp: "is known only when Terraform runs",
  plantimestamp: "is known only when Terraform runs",
  uuid: "is random, known only when Terraform runs",
  uuidv5: "is not evaluated by parapet",
  bcrypt: "is random, known only when Terraform runs",
  ephemeralasnull: "is known only when Terraform runs",
});

/** Every function parapet evaluates, by name. */
export const FUNCTIONS: Record<string, FunctionSpec> = lookupTable({
  ...COLLECTION_FUNCTIONS,
  ...STRING_FUNCTIONS,
  ...NUMBER_FUNCTIONS,
  ...ENCODING_FUNCTIONS,
  ...NETWORK_FUNCTIONS,
});
