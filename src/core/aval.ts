/** Abstract values: what tracing knows about an array without its contents. */
import type { DType } from "./dtype.js";
import { type Shape, sizeOf, shapeEqual } from "./shape.js";

export class ShapedArray {
  readonly size: number;
  readonly shape: Shape;
  constructor(
    shape: Shape,
    readonly dtype: DType,
    /** True for values that came from JS numbers: they defer to the other operand's dtype. */
    readonly weakType = false,
  ) {
    // Frozen so that `x.shape` can be handed out without a copy and never changes.
    this.shape = Object.isFrozen(shape) ? shape : Object.freeze([...shape]);
    this.size = sizeOf(shape);
    // Frozen too: an array's aval is shared (by tracers, Programs and caches) and must never be relabelled.
    Object.freeze(this);
  }
  get ndim(): number {
    return this.shape.length;
  }
  equals(o: ShapedArray): boolean {
    return this.dtype === o.dtype && this.weakType === o.weakType && shapeEqual(this.shape, o.shape);
  }
  strong(): ShapedArray {
    return this.weakType ? new ShapedArray(this.shape, this.dtype, false) : this;
  }
  /** `float32[2,3]`, with a `~` suffix for weak types, as the Program printer shows it. */
  toString(): string {
    return `${this.dtype === "bool" ? "bool" : this.dtype.replace("float", "f").replace("uint", "u").replace("int", "i")}[${this.shape.join(",")}]${this.weakType ? "~" : ""}`;
  }
  /** A key for caches: equal avals give equal keys. */
  get key(): string {
    return this.toString();
  }
}
