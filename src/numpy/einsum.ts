/**
 * Einstein summation. Subscripts are parsed on the host; repeated labels within an operand take a
 * diagonal (a gather on the merged axes), labels used nowhere else are summed early, and operands
 * are contracted pairwise left to right with dot_general, so einsum is differentiable, batchable
 * and jittable.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { fromTypedArray } from "../core/eval.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { promote } from "../core/convert.js";

/** Labels of one operand; an ellipsis's dims get private labels ("\u0100" + k, right-aligned). */
type Labels = string[];
const ELL = (k: number) => String.fromCharCode(0x100 + k);
const isEll = (l: string) => l.charCodeAt(0) >= 0x100;
const show = (l: string) => (isEll(l) ? "..." : `'${l}'`);

/** A term's letters, with "..." kept as one token. */
function parseTerm(t: string, spec: string): string[] {
  const parts = t.split("...");
  if (parts.length > 2) throw new Error(`einsum: more than one ellipsis in term "${t}" of "${spec}"`);
  const bad = [...parts.join("")].find((c) => !/[a-zA-Z]/.test(c));
  if (bad !== undefined)
    throw new Error(`einsum: invalid character '${bad}' in subscripts "${spec}" (use letters a-z, A-Z and "...")`);
  const [head = "", tail] = parts; // split gives at least one part
  return tail === undefined ? [...head] : [...head, "...", ...tail];
}

function parse(spec: string, ops: readonly Array[]): { inputs: Labels[]; output: Labels } {
  const s = spec.replace(/\s+/g, "");
  const arrow = s.split("->");
  if (arrow.length > 2) throw new Error(`einsum: subscripts "${spec}" contain more than one "->"`);
  const [lhs = "", rhs] = arrow; // split gives at least one part
  const terms = lhs.split(",");
  if (terms.length !== ops.length)
    throw new Error(
      `einsum: subscripts "${spec}" name ${terms.length} operand${terms.length === 1 ? "" : "s"} but ${ops.length} were given`,
    );
  const parsed = terms.map((t, k) => {
    const letters = parseTerm(t, spec);
    const explicit = letters.filter((c) => c !== "...").length;
    const { ndim: nd, shape } = ops[k]!; // terms.length === ops.length
    const hasEll = letters.includes("...");
    if (hasEll ? explicit > nd : explicit !== nd)
      throw new Error(
        `einsum: term "${t}" has ${explicit} indices but operand ${k} has rank ${nd} (shape [${shape.join(", ")}])`,
      );
    return { letters, r: hasEll ? nd - explicit : 0 };
  });
  const ellRank = Math.max(0, ...parsed.map((p) => p.r));
  const ellLabels = globalThis.Array.from({ length: ellRank }, (_, j) => ELL(j));
  const inputs = parsed.map(({ letters, r }) =>
    letters.flatMap((c) => (c === "..." ? ellLabels.slice(ellRank - r) : [c])),
  );
  if (rhs === undefined) {
    const counts = new Map<string, number>();
    for (const c of inputs.flat()) if (!isEll(c)) counts.set(c, (counts.get(c) ?? 0) + 1);
    return {
      inputs,
      output: [
        ...ellLabels,
        ...[...counts]
          .filter(([, n]) => n === 1)
          .map(([c]) => c)
          .sort(),
      ],
    };
  }
  const outLetters = parseTerm(rhs, spec);
  if (ellRank > 0 && !outLetters.includes("..."))
    throw new Error(
      `einsum: the inputs of "${spec}" have ellipsis dimensions but the output has no "..." to hold them`,
    );
  const output = outLetters.flatMap((c) => (c === "..." ? ellLabels : [c]));
  const dup = output.find((c, i) => output.indexOf(c) !== i);
  if (dup !== undefined) throw new Error(`einsum: output subscript ${show(dup)} appears more than once in "${spec}"`);
  const all = new Set(inputs.flat());
  const missing = output.find((c) => !all.has(c));
  if (missing !== undefined)
    throw new Error(`einsum: output subscript ${show(missing)} in "${spec}" does not appear in any input`);
  return { inputs, output };
}

/** Takes the diagonal over repeated labels of one operand, so each label appears once. */
function diagonal(x: Array, labels: Labels): [Array, Labels] {
  for (;;) {
    const l = labels.find((c, i) => labels.indexOf(c) !== i);
    if (l === undefined) return [x, labels];
    const axes = labels.flatMap((c, i) => (c === l ? [i] : []));
    const rest = labels.map((_, i) => i).filter((i) => !axes.includes(i));
    const n = x.shape[axes[0]!]!;
    const moved = L.transpose(x, [...rest, ...axes]);
    const merged = L.reshape(moved, [...rest.map((i) => x.shape[i]!), n ** axes.length]);
    const stride = axes.reduce((s, _, k) => s + n ** k, 0);
    const idx = fromTypedArray(
      Int32Array.from({ length: n }, (_, i) => i * stride),
      [n],
      "int32",
    );
    x = bind1("gather", [merged, idx], { axis: rest.length });
    labels = [...rest.map((i) => labels[i]!), l];
  }
}

/** Sums out the labels of `x` not in `keep`. */
function sumOut(x: Array, labels: Labels, keep: Set<string>): [Array, Labels] {
  const axes = labels.flatMap((c, i) => (keep.has(c) ? [] : [i]));
  return [L.reduceSum(x, axes), labels.filter((c) => keep.has(c))];
}

/**
 * Einstein summation over the operands, in explicit ("ij,jk->ik") or implicit ("ij,jk": output
 * labels are those used once, sorted) form; "..." stands for broadcast leading dims. Repeated labels
 * in one operand take its diagonal ("ii->i"); operands are contracted pairwise left to right.
 *
 * @example np.einsum("bij,bjk->bik", a, b); np.einsum("ii->", m) // trace; np.einsum("i,ij,j->", u, A, v)
 */
export function einsum(subscripts: string, ...operands: ArrayOrScalar[]): Array {
  if (typeof subscripts !== "string") throw new TypeError("einsum: the first argument must be a subscripts string");
  if (operands.length === 0) throw new Error("einsum: need at least one operand");
  const ops = promote("einsum", ...operands);
  const { inputs, output } = parse(subscripts, ops);
  // Sizes per label; ellipsis dims broadcast (size 1 against n), letters must match exactly.
  const size = new Map<string, number>();
  const where = new Map<string, string>();
  const sizeOf = (c: string): number => {
    const n = size.get(c);
    if (n === undefined) throw new Error(`internal error: einsum: no size recorded for index ${show(c)}`);
    return n;
  };
  inputs.forEach((labs, k) =>
    labs.forEach((c, ax) => {
      const n = ops[k]!.shape[ax]!,
        prev = size.get(c);
      if (prev === undefined || (isEll(c) && prev === 1)) {
        size.set(c, n);
        where.set(c, `operand ${k}, axis ${ax}`);
      } else if (prev !== n && !(isEll(c) && n === 1))
        throw new Error(
          `einsum: size mismatch for index ${show(c)} in "${subscripts}": ${prev} (${where.get(c)}) vs ${n} (operand ${k}, axis ${ax})`,
        );
    }),
  );
  const outSet = new Set(output);
  const prepared = ops.map((x0, k): [Array, Labels] => {
    let [x, labs] = diagonal(x0, inputs[k]!);
    // A size-1 ellipsis dim that broadcasts against a bigger one is dropped (the result broadcasts).
    const drop = labs.flatMap((c, i) => (isEll(c) && x.shape[i] === 1 && sizeOf(c) > 1 ? [i] : []));
    if (drop.length)
      [x, labs] = [
        L.reshape(
          x,
          x.shape.filter((_, i) => !drop.includes(i)),
        ),
        labs.filter((_, i) => !drop.includes(i)),
      ];
    return [x, labs];
  });
  const neededAfter = (k: number) => new Set([...output, ...prepared.slice(k + 1).flatMap(([, l]) => l)]);
  let [acc, accL] = prepared[0]!;
  [acc, accL] = sumOut(acc, accL, neededAfter(0));
  for (let k = 1; k < prepared.length; k++) {
    const later = neededAfter(k);
    let [y, yL] = prepared[k]!;
    [y, yL] = sumOut(y, yL, new Set([...later, ...accL]));
    [acc, accL] = sumOut(acc, accL, new Set([...later, ...yL]));
    const shared = accL.filter((c) => yL.includes(c));
    const batch = shared.filter((c) => later.has(c)),
      contract = shared.filter((c) => !later.has(c));
    const pos = (ls: Labels, cs: Labels) => cs.map((c) => ls.indexOf(c));
    acc = L.dotGeneral(acc, y, [pos(accL, contract), pos(yL, contract)], [pos(accL, batch), pos(yL, batch)]);
    accL = [...batch, ...accL.filter((c) => !shared.includes(c)), ...yL.filter((c) => !shared.includes(c))];
  }
  [acc, accL] = sumOut(acc, accL, outSet);
  // Labels of the output missing from the result were broadcast (dropped size-1 ellipsis dims).
  const present = output.filter((c) => accL.includes(c));
  acc = L.transpose(
    acc,
    present.map((c) => accL.indexOf(c)),
  );
  if (present.length === output.length) return acc;
  return L.broadcastInDim(
    acc,
    output.map(sizeOf),
    present.map((c) => output.indexOf(c)),
  );
}
