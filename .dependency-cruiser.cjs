// The layers of parapet's source (issue #15) and the direction its imports may run, checked by
// dependency-cruiser: `npm run layers:check`, and test/architecture/layers.test.ts in `npm test`.
//
// From the bottom up; a layer imports its own files and the layers named in its ALLOWED entry:
//   base       src/errors.ts, src/names.ts, src/paths.ts, src/limits/   small shared helpers
//   source     src/source/   reading text with positions (YAML/JSON readers, line indexes, regex guard)
//   model      src/model/, src/values/, src/graph/, src/suppressions/, src/findings/
//              the canonical kinds and the vocabulary every layer above speaks: values, the
//              resource graph, suppressions, findings
//   parsers    src/parsers/    one folder per format; model and source only (no rules, no pipeline)
//   rules      src/rules/      model and source only (no parsers, no config, no pipeline)
//   reporters  src/reporters/  findings and model only
//   pipeline   src/pipeline/, src/discovery/, src/config/   plan, run, scan; everything below
//   commands   src/cli.ts, src/commands/, src/diff/, src/baseline/   everything below except
//              parsers: a command reaches a format through the pipeline
// and no circle anywhere. Type-only imports count (tsPreCompilationDeps): a type is an arrow too.
// Every file under src/ belongs to a layer, and every import resolves (through tsconfig.json, a
// `.js` specifier to its `.ts` source), so that nothing slips past the rules unseen.

const LAYERS = {
  base: ["^src/(errors|names|paths)\\.ts$", "^src/limits/"],
  source: ["^src/source/"],
  model: ["^src/(model|values|graph|suppressions|findings)/"],
  parsers: ["^src/parsers/"],
  rules: ["^src/rules/"],
  reporters: ["^src/reporters/"],
  pipeline: ["^src/(pipeline|discovery|config)/"],
  commands: ["^src/cli\\.ts$", "^src/(commands|diff|baseline)/"],
};

const ALLOWED = {
  base: ["base"],
  source: ["base", "source"],
  model: ["base", "source", "model"],
  parsers: ["base", "source", "model", "parsers"],
  rules: ["base", "source", "model", "rules"],
  reporters: ["model", "reporters"],
  pipeline: ["base", "source", "model", "parsers", "rules", "reporters", "pipeline"],
  commands: ["base", "source", "model", "rules", "reporters", "pipeline", "commands"],
};

// ---------------------------------------------------------------------------------------------
// KNOWN EXCEPTIONS: the wrong arrows and circles the code has today. Each is tolerated until the
// step of #15 named in `remove` is done; the check fails on any arrow not listed here, and
// test/architecture/layers.test.ts fails on an entry that no longer occurs (delete it then).
// When a file moves (e.g. parsers/cloudformation/source.ts or rules/regex-safety.ts into
// src/source/), its entries either go stale (delete them) or change their `to`/`from` path.
// ---------------------------------------------------------------------------------------------
const KNOWN_EXCEPTIONS = [
  // commands → parsers: --param files are read by the CloudFormation parser, diff reads templates
  { rule: "layer-commands", from: "src/commands/options.ts", to: "src/parsers/cloudformation/parameters.ts", remove: "when #15 gives the pipeline the parameter and variable options to parse" },
  { rule: "layer-commands", from: "src/commands/diff.ts", to: "src/parsers/cloudformation/template.ts", remove: "when #15 lets diff read templates through the pipeline" },
];
// ---------------------------------------------------------------------------------------------

const allPaths = (layers) => layers.flatMap((layer) => LAYERS[layer]);

const layerRules = Object.keys(LAYERS).map((layer) => ({
  name: `layer-${layer}`,
  severity: "error",
  comment: `${layer} may import only ${ALLOWED[layer].join(", ")}`,
  from: { path: LAYERS[layer] },
  to: { path: "^src/", pathNot: allPaths(ALLOWED[layer]) },
}));

function knownViolation(exception) {
  const rule = { name: exception.rule, severity: "error" };
  if (exception.cycle) {
    const [from, to] = exception.cycle;
    return { type: "cycle", from, to, rule, cycle: exception.cycle.map((name) => ({ name, dependencyTypes: [] })) };
  }
  return { type: "dependency", from: exception.from, to: exception.to, rule };
}

const config = {
  forbidden: [
    ...layerRules,
    {
      name: "in-a-layer",
      severity: "error",
      comment: "every file under src/ belongs to a layer (add a new folder to LAYERS)",
      from: { path: "^src/", pathNot: allPaths(Object.keys(LAYERS)) },
      to: {},
    },
    {
      name: "resolved",
      severity: "error",
      comment: "every import resolves to a file (a `.js` specifier to its `.ts` source), or it would escape the rules above",
      from: { path: "^src/" },
      to: { couldNotResolve: true },
    },
    {
      name: "no-circular",
      severity: "error",
      comment: "no circle of imports",
      from: { path: "^src/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    knownViolations: KNOWN_EXCEPTIONS.map(knownViolation),
  },
};

// Read by test/architecture/layers.test.ts; not enumerable, so dependency-cruiser's schema for
// its configuration does not see it.
Object.defineProperty(config, "knownExceptions", { value: KNOWN_EXCEPTIONS, enumerable: false });

module.exports = config;
