// graft/testing alone with the root entry: checkGrads on a small function.
import { np } from "graft-ad";
import { checkGrads } from "graft-ad/testing";

let ok = true;
try {
  checkGrads((x) => x.tanh().mul(x).sum(), [np.array([0.1, -0.4, 0.7], { dtype: "float64" })], { order: 2 });
} catch {
  ok = false;
}
globalThis.__graftResult = { ok };
