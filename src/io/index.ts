/**
 * `graft-ad/io`: saving and loading pytrees of arrays in the safetensors format (PyTorch, JAX and
 * Hugging Face tools read it) and as NumPy .npy/.npz files.
 *
 * Tensor names are pytree paths joined with ".": object keys as they are, array elements by index
 * (`{ layers: [{ w, b }] }` → "layers.0.w", "layers.0.b", as PyTorch names a state dict). Keys
 * must be non-empty and free of ".". Loading without `like` rebuilds nested objects, with levels
 * named 0…n-1 as JS arrays; loading with `like` (e.g. the initial parameters, or
 * `opt.init(params)` for an optimizer state) gives `like`'s exact structure (empty containers and
 * registered classes included) and checks every shape and dtype.
 *
 * Savers are asynchronous on every backend (they read arrays with `await x.data()`, which WebGPU
 * requires) and return the file's bytes; loaders take bytes. Files in Node:
 * `fs.writeFileSync(path, bytes)` and `fs.readFileSync(path)`. In browsers: `new Blob([bytes])`
 * to download or store, and `new Uint8Array(await file.arrayBuffer())` to read a File or Blob.
 *
 * @example
 * import { saveSafetensors, loadSafetensors } from "graft-ad/io";
 * const bytes = await saveSafetensors({ params, opt: state });
 * const restored = loadSafetensors(bytes, { like: { params, opt: state } });
 */
export { saveSafetensors, loadSafetensors, inspectSafetensors } from "./safetensors.js";
export type { SaveSafetensorsOptions, SafetensorsInfo } from "./safetensors.js";
export { saveNpy, loadNpy, type LoadNpyOptions } from "./npy.js";
export { saveNpz, loadNpz } from "./npz.js";
export type { ArrayTree, LoadOptions } from "./tensors.js";
export type { BytesLike } from "./bytes.js";
