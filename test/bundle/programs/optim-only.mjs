// Only graft/optim: parameters given as JS numbers become arrays inside the optimizer.
import { adam, applyUpdates } from "graft-ad/optim";

const opt = adam(0.1);
let params = { w: 1.5, b: -2 };
let state = opt.init(params);
for (let i = 0; i < 3; i++) {
  const grads = { w: 2 * 1.5, b: 1 };
  const [updates, next] = opt.update(grads, state, params);
  params = applyUpdates(params, updates);
  state = next;
}
globalThis.__graftResult = { w: params.w.tolist(), b: params.b.tolist() };
