/**
 * Node's GPU object, from the optional `webgpu` package (Dawn), loaded only when initWebGpu is
 * called without one in Node. The specifier is not a literal, so bundlers never try to resolve it
 * and browser bundles never contain it. The object is held here for the life of the process:
 * dawn.node crashes if it is garbage collected while GPU work runs.
 */
let held: GPU | undefined;

/** The `webgpu` package's GPU, or undefined outside Node or where the package is not installed. */
export async function nodeGpu(): Promise<GPU | undefined> {
  if (held) return held;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (typeof proc?.versions?.node !== "string") return undefined;
  const specifier = "webgpu";
  let mod: { create: (flags: string[]) => GPU };
  try {
    mod = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof mod;
  } catch {
    return undefined;
  }
  held = mod.create([]);
  return held;
}
