// A user's CommonJS script.
const assert = require("node:assert/strict");
const { grad, np } = require("graft-ad");
const { key, normal } = require("graft-ad/random");

assert.deepEqual(grad((v) => v.sin().sum())(np.array([0])).tolist(), [1]);
assert.deepEqual(normal(key(0), [2]).shape, [2]);
console.log("consumer cjs ok");
