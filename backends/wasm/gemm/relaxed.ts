/**
 * Probe for relaxed SIMD (Node 20 validates it only under --experimental-wasm-relaxed-simd): a
 * one-function module using f32x4.relaxed_madd, validated once and never required.
 */
import { ModuleBuilder } from "../encoder/module.js";
import { SIMD, V128 } from "../encoder/opcodes.js";

let cached: boolean | undefined;

export function relaxedSimdAvailable(): boolean {
  if (cached === undefined) {
    const m = new ModuleBuilder();
    m.func([V128, V128, V128], [V128], (_f, c) => {
      c.get(0).get(1).get(2).simd(SIMD.f32x4_relaxed_madd);
    });
    try {
      cached = typeof WebAssembly === "object" && WebAssembly.validate(m.toBytes() as Uint8Array<ArrayBuffer>);
    } catch {
      cached = false;
    }
  }
  return cached;
}
