/** NumPy-like text for arrays: `array([[1., 2.], [3., 4.]], dtype=float32)`. */
import type { ShapedArray } from "./aval.js";
import type { TypedArray } from "./dtype.js";

function fmtNum(v: number, dtype: string): string {
  if (dtype === "bool") return v ? "true" : "false";
  if (dtype === "int32" || dtype === "uint32") return String(v);
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
  const digits = dtype === "float32" ? 7 : 15;
  const s =
    Math.abs(v) >= 1e-4 && Math.abs(v) < 1e16
      ? String(Number(v.toPrecision(digits)))
      : v.toExponential(digits - 1).replace(/\.?0+e/, "e");
  // A float that rounds to an integer at print precision still prints as a float ("2.").
  return /[.e]/.test(s) ? s : `${s}.`;
}

export function formatArray(data: TypedArray, aval: ShapedArray): string {
  const { shape, dtype } = aval;
  const cells = Array.from(data, (v) => fmtNum(v, dtype));
  const width = Math.max(0, ...cells.map((c) => c.length));
  const MAX = 1000;
  const rec = (dim: number, offset: number, stride: number, indent: string): string => {
    if (dim === shape.length) return cells[offset]!.padStart(width);
    const n = shape[dim]!;
    const inner = stride / (n || 1);
    const parts: string[] = [];
    const elide = aval.size > MAX && n > 6;
    for (let i = 0; i < n; i++) {
      if (elide && i === 3) {
        parts.push("...");
        i = n - 4;
        continue;
      }
      parts.push(rec(dim + 1, offset + i * inner, inner, `${indent} `));
    }
    const sep = dim === shape.length - 1 ? ", " : `,\n${"\n".repeat(Math.max(0, shape.length - dim - 2))}${indent} `;
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? cells[0]! : rec(0, 0, aval.size, "      ");
  const suffix =
    dtype === "float32" || dtype === "bool" || (dtype === "int32" && aval.size > 0) ? "" : `, dtype=${dtype}`;
  return `array(${body}${suffix})`;
}
