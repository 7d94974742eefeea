// nn layers under jit and vmap, with methods on tracers of every kind.
import { np, jit, vmap } from "graft-ad";
import { relu, softmax } from "graft-ad/nn";

const f = jit((w, x) => softmax(relu(x.matmul(w)).mul(2)));
const w = np.arange(6).reshape(3, 2).div(10);
const xs = np.linspace(-1, 1, 12).reshape(4, 3);
globalThis.__graftResult = { y: vmap(f, { inAxes: [null, 0] })(w, xs).tolist() };
