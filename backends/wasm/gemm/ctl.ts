/**
 * Structured control flow over the raw instruction stream. The GEMM generators nest many loops;
 * these helpers keep the block/loop/br depths in one place, so bodies never branch by hand.
 * A body must leave the operand stack as it found it.
 */
import type { Code } from "../encoder/code.js";
import { OP } from "../encoder/opcodes.js";

export type Emit = () => void;

/** `while (cond) body`; `cond` pushes an i32. */
export function whileDo(c: Code, cond: Emit, body: Emit): void {
  c.block().loop();
  cond();
  c.op(OP.i32_eqz).brIf(1);
  body();
  c.br(0).end().end();
}

/** `do body while (cond)`: one branch per trip, for loops known to run at least once. */
export function doWhile(c: Code, body: Emit, cond: Emit): void {
  c.loop();
  body();
  cond();
  c.brIf(0).end();
}

/** `for (i = start; i < end; i += step) body` over i32 locals, signed compare. */
export function forUp(c: Code, i: number, start: Emit, end: Emit, step: number, body: Emit): void {
  start();
  c.set(i);
  whileDo(
    c,
    () => {
      c.get(i);
      end();
      c.op(OP.i32_lt_s);
    },
    () => {
      body();
      c.get(i).i32(step).op(OP.i32_add).set(i);
    },
  );
}

/** `if (cond) then else otherwise`; `cond` pushes an i32. */
export function ifElse(c: Code, cond: Emit, then: Emit, otherwise?: Emit): void {
  cond();
  c.if();
  then();
  if (otherwise) {
    c.else();
    otherwise();
  }
  c.end();
}

/** Pushes min(a, b) of two i32 locals (signed). */
export function minLocals(c: Code, a: number, b: number): void {
  c.get(a).get(b).get(a).get(b).op(OP.i32_lt_s).op(OP.select);
}

/** local += delta (an i32 constant). */
export function bump(c: Code, local: number, delta: number): void {
  c.get(local).i32(delta).op(OP.i32_add).set(local);
}

/** local += other (an i32 local). */
export function bumpBy(c: Code, local: number, other: number): void {
  c.get(local).get(other).op(OP.i32_add).set(local);
}
