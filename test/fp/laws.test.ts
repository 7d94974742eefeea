/**
 * The pytree instances obey fp-ts's laws on random pytrees (fast-check): functor identity and
 * composition, foldable consistency, traversable identity, composition and naturality.
 */
import fc from "fast-check";
import { getApplicativeComposition } from "fp-ts/Applicative";
import type { Applicative1 } from "fp-ts/Applicative";
import * as A from "fp-ts/Array";
import * as E from "fp-ts/Either";
import { identity, pipe } from "fp-ts/function";
import type { Kind } from "fp-ts/HKT";
import * as I from "fp-ts/Identity";
import * as O from "fp-ts/Option";
import * as S from "fp-ts/State";
import * as Str from "fp-ts/string";
import { describe, expect, it } from "vitest";
import * as fp from "../../src/fp/index.js";
import { arbPytree } from "../../src/testing/arbitraries.js";

/** Option of Either: the composition of two applicatives, registered so `traverse` accepts it. */
const OptionOfEither = "test/OptionOfEither" as const;
declare module "fp-ts/HKT" {
  interface URItoKind<A> {
    readonly [OptionOfEither]: O.Option<E.Either<string, A>>;
  }
}
const OE: Applicative1<typeof OptionOfEither> = {
  URI: OptionOfEither,
  ...getApplicativeComposition(O.Applicative, E.Applicative),
};

/** Random pytrees of integers, with `null` nodes (which hold no leaf) mixed in. */
const trees = arbPytree(fc.oneof({ weight: 4, arbitrary: fc.integer() }, { weight: 1, arbitrary: fc.constant(null) }), {
  maxDepth: 3,
  empty: true,
}) as fc.Arbitrary<fp.Tree<number>>;
const numToOption = fc.func(fc.option(fc.integer(), { nil: undefined })).map(
  (g) =>
    (x: number): O.Option<number> =>
      O.fromNullable(g(x)),
);
const numToEither = fc.func(fc.oneof(fc.integer().map(E.right), fc.string({ maxLength: 3 }).map(E.left))).map(
  (g) =>
    (x: number): E.Either<string, number> =>
      g(x),
);

describe("Functor", () => {
  it("keeps the structure and maps every leaf (hand-checked example)", () => {
    expect(fp.Functor.map({ w: [1, { z: 2 }], b: null, a: 3 }, (x: number) => x * 10)).toEqual({
      a: 30,
      b: null,
      w: [10, { z: 20 }],
    });
  });

  it("identity: map(fa, id) = fa", () => {
    fc.assert(
      fc.property(trees, (fa) => {
        expect(fp.Functor.map(fa, identity)).toEqual(fa);
      }),
    );
  });

  it("composition: map(fa, g ∘ f) = map(map(fa, f), g)", () => {
    fc.assert(
      fc.property(trees, fc.func(fc.integer()), fc.func(fc.string()), (fa, f, g) => {
        const once = fp.Functor.map(fa, (x: number) => g(f(x)));
        const twice = fp.Functor.map(fp.Functor.map(fa, f), g);
        expect(once).toEqual(twice);
      }),
    );
  });

  it("never mutates the input tree", () => {
    fc.assert(
      fc.property(trees, (fa) => {
        const before = structuredClone(fa);
        pipe(
          fa,
          fp.map((x: number) => x + 1),
        );
        expect(fa).toEqual(before);
      }),
    );
  });
});

describe("Foldable", () => {
  it("folds in flatten order: object keys sorted, depth first (hand-checked example)", () => {
    const t = { b: [3, { d: 5, c: 4 }], a: 1 };
    expect(fp.toArray(t)).toEqual([1, 3, 4, 5]);
    expect(
      pipe(
        t,
        fp.reduce("", (s: string, x: number) => s + x),
      ),
    ).toBe("1345");
    expect(
      pipe(
        t,
        fp.reduceRight("", (x: number, s: string) => s + x),
      ),
    ).toBe("5431");
  });

  it("reduce, reduceRight and foldMap agree with toArray", () => {
    fc.assert(
      fc.property(trees, (fa) => {
        const list = fp.toArray(fa);
        expect(fp.Foldable.reduce(fa, [] as number[], (acc, x) => [...acc, x])).toEqual(list);
        expect(fp.Foldable.reduceRight(fa, [] as number[], (x, acc) => [x, ...acc])).toEqual(list);
        expect(fp.Foldable.foldMap(Str.Monoid)(fa, (x) => `${x},`)).toBe(list.map((x) => `${x},`).join(""));
        expect(
          pipe(
            fa,
            fp.foldMap(A.getMonoid<number>())((x: number) => [x]),
          ),
        ).toEqual(list);
      }),
    );
  });
});

describe("Traversable", () => {
  it("identity: traverse(Identity)(fa, of) = of(fa)", () => {
    fc.assert(
      fc.property(trees, (fa) => {
        expect(fp.traverse(I.Applicative)(fa, I.of)).toEqual(I.of(fa));
      }),
    );
  });

  it("composition: traverse(F∘G)(fa, map(f, g)) = map(traverse(F)(fa, f), traverse(G)(·, g))", () => {
    fc.assert(
      fc.property(trees, numToOption, numToEither, (fa, f, g) => {
        const composed = fp.traverse(OE)(fa, (x): Kind<typeof OptionOfEither, number> => O.map(g)(f(x)));
        const nested = pipe(
          fp.traverse(O.Applicative)(fa, f),
          O.map((fb) => fp.traverse(E.Applicative)(fb, g)),
        );
        expect(composed).toEqual(nested);
      }),
    );
  });

  it("naturality: t(traverse(F)(fa, f)) = traverse(G)(fa, t ∘ f) for t = Either → Option", () => {
    fc.assert(
      fc.property(trees, numToEither, (fa, f) => {
        const t = <X>(e: E.Either<string, X>): O.Option<X> => O.fromEither(e);
        expect(t(fp.traverse(E.Applicative)(fa, f))).toEqual(fp.traverse(O.Applicative)(fa, (x) => t(f(x))));
      }),
    );
  });

  it("sequence(F)(map(fa, f)) = traverse(F)(fa, f)", () => {
    fc.assert(
      fc.property(trees, numToOption, (fa, f) => {
        expect(fp.sequence(O.Applicative)(fp.Functor.map(fa, f))).toEqual(fp.traverse(O.Applicative)(fa, f));
      }),
    );
  });

  it("runs the effects in flatten order (State records the visits)", () => {
    fc.assert(
      fc.property(trees, (fa) => {
        const visit =
          (x: number): S.State<number[], number> =>
          (seen) => [x, [...seen, x]];
        const [out, seen] = fp.traverse(S.Applicative)(fa, visit)([]);
        expect(seen).toEqual(fp.toArray(fa));
        expect(out).toEqual(fa);
      }),
    );
  });

  it("with the Array applicative, every choice gets its own copy of the tree", () => {
    const out = fp.traverse(A.Applicative)({ a: 1, b: [2] }, (x: number) => [x, -x]);
    expect(out).toEqual([
      { a: 1, b: [2] },
      { a: 1, b: [-2] },
      { a: -1, b: [2] },
      { a: -1, b: [-2] },
    ]);
  });

  it("a Left or None anywhere short-circuits (hand-checked examples)", () => {
    const positive = (x: number): E.Either<string, number> => (x > 0 ? E.right(x) : E.left(`${x} is not positive`));
    expect(fp.traverse(E.Applicative)({ a: 1, b: [2, -3, -4] }, positive)).toEqual(E.left("-3 is not positive"));
    expect(fp.traverse(E.Applicative)({ a: 1, b: [2] }, positive)).toEqual(E.right({ a: 1, b: [2] }));
    expect(fp.sequence(O.Applicative)([O.some(1), { x: O.none }])).toEqual(O.none);
  });
});

describe("getTraversable", () => {
  it("treats what isLeaf accepts as leaves (here plain { re, im } records, containers otherwise)", () => {
    interface Complex {
      re: number;
      im: number;
    }
    const isComplex = (x: unknown): boolean => typeof x === "object" && x !== null && "re" in x && "im" in x;
    const T = fp.getTraversable(isComplex);
    const z = { a: { re: 1, im: 2 }, b: [{ re: 3, im: -1 }] };
    expect(T.map(z, (c: Complex) => c.re * c.re + c.im * c.im)).toEqual({ a: 5, b: [10] });
    expect(fp.toArray(z)).toEqual([2, 1, -1, 3]);
  });

  it("rejects an isLeaf that is not a function, naming it", () => {
    expect(() => fp.getTraversable(3 as never)).toThrow(/fp.getTraversable: isLeaf must be a function, got number/);
  });
});
