/** Registers every primitive's rules (import for the side effect). */
import "./elementwise.js";
import "./reduce.js";
import "./dot.js";
import "./shape.js";
import "./indexing.js";
import "./jit-call.js";
