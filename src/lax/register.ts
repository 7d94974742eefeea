/** Every primitive's rules, registered into the core's registry by `install` (src/install.ts). */
import { registerElementwise } from "./prims/elementwise.js";
import { registerReductions } from "./prims/reduce.js";
import { registerDot } from "./prims/dot.js";
import { registerConv } from "./prims/conv.js";
import { registerShapeOps } from "./prims/shape.js";
import { registerIndexing } from "./prims/indexing.js";
import { registerJitCall } from "./prims/jit-call.js";
import { registerSort } from "./prims/sort.js";
import { registerThreefry } from "./prims/threefry.js";
import { registerCond } from "./control/cond.js";
import { registerCustomJvp } from "./control/custom-jvp.js";
import { registerCustomVjp } from "./control/custom-vjp.js";
import { registerRemat } from "./control/checkpoint.js";
import { registerScan } from "./control/scan.js";
import { registerWhile } from "./control/while.js";

let registered = false;

/** Registers every primitive's rules (idempotent). */
export function registerAllPrimitives(): void {
  if (registered) return;
  registered = true;
  registerElementwise();
  registerReductions();
  registerDot();
  registerConv();
  registerShapeOps();
  registerIndexing();
  registerJitCall();
  registerSort();
  registerThreefry();
  registerCond();
  registerCustomJvp();
  registerCustomVjp();
  registerRemat();
  registerScan();
  registerWhile();
}
