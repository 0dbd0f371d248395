// Copies the packages a package.json depends on (and their dependency closure, peers included) from the
// repository's installed node_modules into a destination node_modules, for the offline demo image.
// Usage: node collect-modules.mjs <repoRoot> <destNodeModules> <package.json>
// Prints the copied package paths; exits 1 naming the first package it cannot find.
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

const [repoRoot, dest, manifestPath] = process.argv.slice(2);
if (!repoRoot || !dest || !manifestPath) {
  console.error('usage: node collect-modules.mjs <repoRoot> <destNodeModules> <package.json>');
  process.exit(2);
}

const rootModules = join(repoRoot, 'node_modules');

/** Node's lookup: <from>/node_modules/<name>, then each parent's node_modules up to the repository root. */
function resolvePackage(name, fromDir) {
  let dir = fromDir;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dir === repoRoot || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

function dependencyNames(manifest, includeOptionalPeers) {
  const names = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.optionalDependencies ?? {})]);
  for (const peer of Object.keys(manifest.peerDependencies ?? {})) {
    const optional = manifest.peerDependenciesMeta?.[peer]?.optional === true;
    if (!optional || includeOptionalPeers) names.add(peer);
  }
  return names;
}

const start = JSON.parse(readFileSync(manifestPath, 'utf8'));
const queue = [...dependencyNames(start, false)].map((name) => ({ name, from: repoRoot, required: true }));
const copied = new Set();

// Breadth-first over the dependency graph (no recursion: the graph can be deep).
while (queue.length > 0) {
  const { name, from, required } = queue.shift();
  const found = resolvePackage(name, from);
  if (!found) {
    if (required) {
      console.error(`collect-modules: cannot find package "${name}" (needed from ${relative(repoRoot, from) || '.'}); run npm ci`);
      process.exit(1);
    }
    continue;
  }
  const real = realpathSync(found);
  if (copied.has(real)) continue;
  copied.add(real);
  const rel = relative(rootModules, found);
  if (rel.startsWith('..')) {
    console.error(`collect-modules: ${found} is outside ${rootModules}`);
    process.exit(1);
  }
  const target = join(dest, rel);
  mkdirSync(dirname(target), { recursive: true });
  // Nested node_modules come along with their parent; they are walked below like any other package.
  cpSync(real, target, { recursive: true, dereference: true });
  console.log(rel.split(sep).join('/'));
  const manifest = JSON.parse(readFileSync(join(found, 'package.json'), 'utf8'));
  const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}));
  for (const dep of dependencyNames(manifest, false)) {
    queue.push({ name: dep, from: found, required: !optional.has(dep) });
  }
}
