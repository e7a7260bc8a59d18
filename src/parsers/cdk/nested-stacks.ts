/**
 * Where a nested stack's template is in a cloud assembly.
 *
 * A CDK nested stack is an `AWS::CloudFormation::Stack` resource of its parent whose template is a file
 * asset of the parent. Releases and synthesizers say which file in different ways:
 *
 * * `Metadata."aws:asset:path"` on the resource (when asset metadata is on, as `cdk synth` sets it);
 * * otherwise only the `TemplateURL`, which carries the asset's hash: in the object key
 *   (`…/<hash>.json`, default and CLI-credentials synthesizers) or in the names of the parameters that
 *   hold the bucket and key (`AssetParameters<hash>S3Bucket…`, legacy synthesizer; a nested stack of a
 *   nested stack gets them passed down as `referenceto…AssetParameters<hash>…` parameters). The hash
 *   names a file asset of an asset manifest (`*.assets.json`) or of an `aws:cdk:asset` metadata entry.
 */
import { existsSync, statSync } from "node:fs";
import { readJsonFile, type TooLarge } from "./json-file.js";
import { resolve } from "node:path";
import type { PropertyPath } from "../../source/location.js";
import { isInside } from "../../source/paths.js";
import { isRecord } from "../../values/value.js";

type Json = Record<string, unknown>;

/** File assets of one assembly folder: asset hash → path relative to the folder. */
export type FileAssets = Map<string, string>;

const HASH = /[0-9a-f]{64}/g;

function addAsset(assets: FileAssets, path: unknown, ...keys: unknown[]): void {
  if (typeof path !== "string") return;
  for (const key of keys) {
    if (typeof key !== "string") continue;
    for (const hash of key.match(HASH) ?? []) if (!assets.has(hash)) assets.set(hash, path);
  }
}

/** The file assets an asset manifest lists, by id and by the hash in each destination's object key. */
function addManifestAssets(assets: FileAssets, manifest: unknown): void {
  const files = isRecord(manifest) && isRecord(manifest["files"]) ? manifest["files"] : {};
  for (const [id, asset] of Object.entries(files)) {
    if (!isRecord(asset) || !isRecord(asset["source"])) continue;
    const destinations = isRecord(asset["destinations"]) ? Object.values(asset["destinations"]) : [];
    const keys = destinations.map((d) => (isRecord(d) ? d["objectKey"] : undefined));
    addAsset(assets, asset["source"]["path"], id, ...keys);
  }
}

/** The `aws:cdk:asset` entries of construct metadata (legacy synthesizer). */
function addMetadataAssets(assets: FileAssets, metadata: unknown): void {
  if (!isRecord(metadata)) return;
  for (const list of Object.values(metadata)) {
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (!isRecord(entry) || entry["type"] !== "aws:cdk:asset" || !isRecord(entry["data"])) continue;
      const data = entry["data"];
      if (data["packaging"] === "file") addAsset(assets, data["path"], data["id"], data["sourceHash"]);
    }
  }
}

/**
 * The file assets of an assembly folder: every `cdk:asset-manifest` artifact of its manifest, and the
 * `aws:cdk:asset` entries of the construct metadata given (the stacks' metadata of that folder).
 */
export function fileAssets(dir: string, artifacts: Json, metadata: unknown[], tooLarge?: TooLarge): FileAssets {
  const assets: FileAssets = new Map();
  for (const artifact of Object.values(artifacts)) {
    if (!isRecord(artifact) || artifact["type"] !== "cdk:asset-manifest") continue;
    const file = isRecord(artifact["properties"]) ? artifact["properties"]["file"] : undefined;
    if (typeof file !== "string") continue;
    const path = resolve(dir, file);
    if (isInside(dir, path)) addManifestAssets(assets, readJsonFile(path, tooLarge));
  }
  for (const m of metadata) addMetadataAssets(assets, m);
  return assets;
}

/** The template of a nested stack, a reason it cannot be read, or `external` (a template CloudFormation fetches). */
export type NestedTemplate = { file: string } | { problem: string; at: PropertyPath } | "external";

/**
 * Finds the template of the `AWS::CloudFormation::Stack` resource `logicalId` of a stack in assembly folder `dir`.
 * A resource that CDK's `NestedStack` made (its construct path or `aws:cdk:path` ends in `.NestedStackResource`) always has
 * its template in the assembly; any other (a `CfnStack` of the user's) may name a template elsewhere.
 */
export function nestedTemplate(logicalId: string, resource: Json, dir: string, assets: FileAssets, constructPath?: string): NestedTemplate {
  const metadata = isRecord(resource["Metadata"]) ? resource["Metadata"] : {};
  const assetPath = metadata["aws:asset:path"];
  if (typeof assetPath === "string") {
    return checkedFile(dir, assetPath, ["Resources", logicalId, "Metadata", "aws:asset:path"], "its aws:asset:path metadata");
  }
  const url = isRecord(resource["Properties"]) ? resource["Properties"]["TemplateURL"] : undefined;
  const hashes = JSON.stringify(url ?? null).match(HASH) ?? [];
  const at = ["Resources", logicalId, "Properties", "TemplateURL"];
  const hash = hashes.find((h) => assets.has(h));
  if (hash) return checkedFile(dir, assets.get(hash)!, at, `the asset ${hash} of its TemplateURL`);
  const cdkPath = constructPath ?? metadata["aws:cdk:path"];
  if (typeof cdkPath !== "string" || !cdkPath.endsWith(".NestedStackResource")) return "external";
  const named = hashes.length > 0 ? `names asset ${hashes[0]}, which no asset manifest of the cloud assembly lists` : "names no asset of the cloud assembly";
  return { problem: `nested stack ${logicalId}: its TemplateURL ${named}; its template was not read`, at };
}

/** The asset file, when it is a file inside the assembly folder. */
function checkedFile(dir: string, relativePath: string, at: PropertyPath, via: string): NestedTemplate {
  const path = resolve(dir, relativePath);
  const id = at[1];
  if (!isInside(dir, path)) {
    return { problem: `nested stack ${id}: ${via} names a template outside the cloud assembly (${relativePath}); it was not read`, at };
  }
  if (!existsSync(path) || !statSync(path).isFile()) {
    return { problem: `nested stack ${id}: ${via} names ${relativePath}, which the cloud assembly does not hold; its template was not read`, at };
  }
  return { file: relativePath };
}
