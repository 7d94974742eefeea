/** Every primitive's rules, registered on first use (see `rulesFor`), so bundlers cannot drop them. */
import { registerElementwise } from "./elementwise.js";
import { registerReductions } from "./reduce.js";
import { registerDot } from "./dot.js";
import { registerShapeOps } from "./shape.js";
import { registerIndexing } from "./indexing.js";
import { registerJitCall } from "./jit-call.js";
import { registerSort } from "./sort.js";
import { registerThreefry } from "./threefry.js";
import { registerCond } from "../../control/cond.js";
import { registerCustomJvp } from "../../control/custom-jvp.js";
import { registerCustomVjp } from "../../control/custom-vjp.js";
import { registerRemat } from "../../control/checkpoint.js";
import { registerScan } from "../../control/scan.js";
import { registerWhile } from "../../control/while.js";

export function registerAllPrimitives(): void {
  registerElementwise();
  registerReductions();
  registerDot();
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
