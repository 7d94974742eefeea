// graft-ad/viz with its optional peer @dagrejs/dagre bundled in: a Program drawn as SVG and DOT.
// programToSvgWith takes the dagre module imported here (synchronous, so the bare vm context of
// the smoke test sees the result without awaiting).
import * as dagre from "@dagrejs/dagre";
import { makeJaxpr, np } from "graft-ad";
import { programToSvgWith } from "graft-ad/viz";

// dagre 3 copies with structuredClone, a web-platform global that every browser since 2022 and
// Node >= 17 have but the smoke test's bare vm context (language globals only) lacks. What it clones
// here (arrays of node names) survives a JSON round trip.
globalThis.structuredClone ??= (v) => JSON.parse(JSON.stringify(v));

const program = makeJaxpr((w, x) => np.tanh(np.dot(x, w)).square().sum())(np.ones([3, 2]), np.ones([4, 3]));
const svg = programToSvgWith(dagre, program, { inputNames: ["w", "x"] });
globalThis.__graftResult = {
  nodes: svg.match(/<g class="node /g).length,
  edgeLabels: [...svg.matchAll(/<g class="edge [^"]*">.*?<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]),
  viewBox: /viewBox="([^"]*)"/.exec(svg)[1],
  dotEdges: program.toDot().match(/->/g).length,
};
