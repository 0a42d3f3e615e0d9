// Packs @cemscore/node as napi-rs projects publish (what `napi pre-publish` does, without publishing):
//  - the root package, without any .node: its package.json gains, in a staged copy, one optional dependency
//    per platform package under bindings-node/npm/ (pinned to this version; npm installs only the one whose
//    os, cpu and libc match) and @cemscore/wasm (pinned), the fallback where no addon loads;
//  - one package per addon given: bindings-node/npm/<platform>/ with its cemscore.<platform>.node.
// The committed package.json keeps neither (`npm ci` could not resolve packages not yet published).
// Usage: node scripts/pack-node.mjs DEST cemscore.<platform>.node...   (the tarballs go to DEST)
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { execFileSync } from "node:child_process";

const [dest, ...addons] = process.argv.slice(2).map((p) => resolve(p));
const root = resolve(import.meta.dirname, "..");
const node = join(root, "bindings-node");
const stage = mkdtempSync(join(tmpdir(), "cem-npm-"));
const read = (p) => JSON.parse(readFileSync(p, "utf8"));
const licences = ["LICENSE-MIT", "LICENSE-APACHE"].map((f) => join(root, f));

const pkg = read(join(node, "package.json"));
const platforms = readdirSync(join(node, "npm")).sort();
const pack = (dir) => execFileSync("npm", ["pack", "--silent", "--pack-destination", dest], { cwd: dir, stdio: ["ignore", "pipe", "inherit"] });

mkdirSync(dest, { recursive: true });

// The root: the files package.json lists, the README, and the manifest with its dependencies.
const rootStage = join(stage, "node");
mkdirSync(rootStage, { recursive: true });
for (const f of [...pkg.files.filter((f) => !f.startsWith("LICENSE")), "README.md"]) cpSync(join(node, f), join(rootStage, f));
for (const l of licences) cpSync(l, join(rootStage, basename(l)));
pkg.optionalDependencies = Object.fromEntries(platforms.map((p) => {
  const m = read(join(node, "npm", p, "package.json"));
  if (m.version !== pkg.version) throw new Error(`npm/${p}/package.json: version ${m.version}, not ${pkg.version}`);
  return [m.name, pkg.version];
}));
pkg.dependencies = { "@cemscore/wasm": pkg.version };
writeFileSync(join(rootStage, "package.json"), `${JSON.stringify(pkg, null, 2)}\n`);
pack(rootStage);

// Each addon in its platform's package.
for (const addon of addons) {
  const platform = basename(addon).replace(/^cemscore\.(.*)\.node$/, "$1");
  if (!platforms.includes(platform)) throw new Error(`${addon}: no bindings-node/npm/${platform}/`);
  const dir = join(stage, platform);
  cpSync(join(node, "npm", platform), dir, { recursive: true });
  cpSync(addon, join(dir, basename(addon)));
  for (const l of licences) cpSync(l, join(dir, basename(l)));
  pack(dir);
}
rmSync(stage, { recursive: true });
