/** downloadTree: a Task that brings every array of a pytree to the host ("cpu"), lazily. */
import * as T from "fp-ts/Task";
import { describe, expect, it } from "vitest";
import type { Array } from "../../src/core/array.js";
import * as fp from "../../src/fp/index.js";
import * as np from "../../src/numpy/index.js";
import { vmap } from "../../transforms/vmap.js";

describe("downloadTree", () => {
  it("copies every array to the cpu backend, keeping values, dtypes, structure and other leaves", async () => {
    const params = {
      w: np.array(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: "float64" },
      ),
      steps: 3,
      name: "net",
      b: [np.arange(3), null],
    };
    const host = await fp.downloadTree(params)();
    expect(host.w.backend).toBe("cpu");
    expect((host.b[0] as Array).backend).toBe("cpu");
    expect(host.w.dtype).toBe("float64");
    expect(host.w.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect((host.b[0] as Array).tolist()).toEqual([0, 1, 2]);
    expect(host.steps).toBe(3);
    expect(host.name).toBe("net");
    expect(host.b[1]).toBeNull();
    expect(Object.keys(host).sort()).toEqual(["b", "name", "steps", "w"]);
  });

  it("composes with Task's combinators", async () => {
    const total = await T.map((t: { x: Array }) => t.x.sum().item())(fp.downloadTree({ x: np.array([1, 2, 3]) }))();
    expect(total).toBe(6);
  });

  it("reads nothing until the task runs: a tree of traced values fails only then, with deviceGet's error", async () => {
    const tasks: T.Task<unknown>[] = [];
    vmap((x: Array) => {
      tasks.push(fp.downloadTree({ x })); // building the Task inside the transform does not throw
      return x;
    })(np.ones([2, 3]));
    expect(tasks).toHaveLength(1);
    await expect(tasks[0]!()).rejects.toThrow(/deviceGet: got a traced value/);
  });
});
