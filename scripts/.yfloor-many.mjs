import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
const dir = process.argv[2];
for (const n of readdirSync(dir)) parseDocument(readFileSync(join(dir, n), "utf8"));
