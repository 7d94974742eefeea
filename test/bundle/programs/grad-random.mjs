// Only `grad` from the root entry and samplers from graft/random: the case that crashed bundles
// when the array methods were installed by a side effect in a dropped module.
import { grad } from "graft-ad";
import { key, normal } from "graft-ad/random";

const x = normal(key(0), [3]);
globalThis.__graftResult = { x: x.tolist(), g: grad((v) => v.sin().sum())(x).tolist() };
