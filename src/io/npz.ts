/** Pytrees of arrays as NumPy .npz archives: a zip with one .npy entry per tensor, as `np.savez` writes. */
import { checkOptions } from "../core/options.js";
import { asBytes, type BytesLike } from "./bytes.js";
import { decodeNpy, encodeNpy } from "./npy.js";
import { type ArrayTree, assembleTree, type FileTensor, type LoadOptions, readTree } from "./tensors.js";
import { writeZip } from "./zip-write.js";
import { extract, listZip } from "./zip-read.js";

const SUFFIX = ".npy";

/**
 * Saves a pytree of arrays (from any backend) as the bytes of an .npz archive (uncompressed, as
 * `np.savez`). Entry names are the leaves' paths joined with "." plus ".npy", so in Python
 * `np.load(f)["layers.0.w"]` is the leaf `tree.layers[0].w`.
 *
 * @example
 * fs.writeFileSync("params.npz", await saveNpz({ w, b }));
 * // Python: d = np.load("params.npz"); d["w"], d["b"]
 */
export async function saveNpz(tree: unknown): Promise<Uint8Array> {
  const op = "saveNpz";
  const tensors = await readTree(op, tree);
  return writeZip(
    op,
    tensors.map((t) => ({ name: t.name + SUFFIX, data: encodeNpy(t) })),
  );
}

/**
 * Loads the bytes of an .npz archive (`np.savez` or `np.savez_compressed`) as a pytree of arrays on
 * the default backend (or `backend`). Without `like`, the tree is rebuilt from the entry names
 * ("layers.0.w" → `{ layers: [{ w }] }`); with `like`, it has `like`'s structure, and shapes and
 * dtypes are checked. Asynchronous because compressed entries are inflated by the platform's
 * `DecompressionStream`.
 *
 * @example
 * const params = await loadNpz(fs.readFileSync("params.npz"), { like: initParams });
 * const tree = await loadNpz(new Uint8Array(await file.arrayBuffer())); // a browser File
 */
export function loadNpz<T>(bytes: BytesLike, options: LoadOptions<T> & { readonly like: T }): Promise<T>;
export function loadNpz(bytes: BytesLike, options?: LoadOptions): Promise<ArrayTree>;
export async function loadNpz(bytes: BytesLike, options: LoadOptions<unknown> = {}): Promise<unknown> {
  const op = "loadNpz";
  checkOptions(op, options, ["like", "backend"]);
  const members = listZip(op, asBytes(op, bytes));
  const seen = new Set<string>();
  for (const m of members) {
    if (!m.name.endsWith(SUFFIX))
      throw new Error(
        `${op}: the archive has an entry '${m.name}' that is not a .npy file; an .npz holds only .npy entries`,
      );
    if (seen.has(m.name)) throw new Error(`${op}: the archive has two entries named '${m.name}'`);
    seen.add(m.name);
  }
  const contents = await Promise.all(members.map((m) => extract(op, m)));
  const tensors = members.map((m, i): FileTensor => {
    const npy = decodeNpy(op, contents[i]!, `entry '${m.name}'`);
    return { name: m.name.slice(0, -SUFFIX.length), ...npy };
  });
  return assembleTree(op, tensors, options);
}
