// A strict TypeScript user: compiled once as an ES module (nodenext) and once as CommonJS (node16).
import { type Array, grad, np, vmap } from "graft-ad";
import { sgd } from "graft-ad/optim";
import { relu } from "graft-ad/nn";

const loss = (w: Array, x: Array): Array => relu(x.matmul(w)).sum();
const g: Array = grad(loss)(np.ones([3, 2]), np.ones([4, 3]));
const batched = vmap((v: Array) => v.mul(2))(np.ones([2, 3]));
const opt = sgd(0.1);
const state = opt.init({ w: g });
if (g.shape.join() !== "3,2" || batched.shape.join() !== "2,3" || state === undefined) throw new Error("wrong results");
console.log("consumer ts ok");
