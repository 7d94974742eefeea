// A user's ES module: the root entry and a sub-path, from the installed tarball.
import assert from "node:assert/strict";
import { grad, jit, np } from "graft-ad";
import { adam, applyUpdates } from "graft-ad/optim";

const x = np.array([1, 2, 3]);
assert.deepEqual(grad((v) => v.mul(v).sum())(x).tolist(), [2, 4, 6]);
assert.deepEqual(jit((v) => v.add(1))(x).tolist(), [2, 3, 4]);
const opt = adam(0.1);
const [updates] = opt.update({ w: np.array([1]) }, opt.init({ w: np.array([0]) }));
assert.equal(applyUpdates({ w: np.array([0]) }, updates).w.shape.length, 1);
console.log("consumer esm ok");
