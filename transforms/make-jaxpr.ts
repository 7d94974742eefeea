/** `makeJaxpr`: the Program a function stages to, for inspection. */
import type { Program } from "../src/core/program.js";
import { checkFunction } from "../src/core/validate.js";
import { traceToProgram } from "../src/interpreters/staging.js";
import { currentTrace } from "../src/core/trace.js";
import { flattenArrays, flatFn } from "../src/interpreters/args.js";

/**
 * Traces `f` on the given example arguments (only their shapes and dtypes matter) and returns the
 * Program; `String(program)` prints one typed equation per line, sub-programs indented.
 *
 * @example
 * console.log(String(makeJaxpr((x: Array) => x.sin().mul(2))(np.ones([3]))));
 * // { lambda a:f32[3]. let
 * //     b:f32[3] = sin a
 * //     c:f32[3] = broadcast_in_dim[shape=[3] broadcastDimensions=[]] 2:f32[]
 * //     d:f32[3] = mul b c
 * //   in ( d ) }
 */
export function makeJaxpr<A extends unknown[]>(f: (...args: A) => unknown): (...args: A) => Program {
  checkFunction("makeJaxpr", f);
  return (...args: A) => {
    const [leaves, inDef] = flattenArrays(args, "makeJaxpr", "arguments", "asArray");
    return traceToProgram(
      flatFn(f, inDef, "makeJaxpr", {}),
      leaves.map((l) => l.aval),
      currentTrace(),
      "makeJaxpr",
    ).program;
  };
}
