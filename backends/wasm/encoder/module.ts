/**
 * Builds a WebAssembly module binary: function types, an imported memory, imported functions,
 * defined functions (declared first, so bodies may call functions defined later), globals and
 * exports. Modules are generated at run time from TypeScript; no toolchain is involved.
 */
import { Code, uleb } from "./code.js";
import { I32, type ValType } from "./opcodes.js";

export interface MemoryImport {
  module: string;
  name: string;
  /** Initial size in 64 KiB pages. */
  minPages: number;
  /** Maximum size in pages (required for shared memory). */
  maxPages?: number;
  shared?: boolean;
}

/** A function being defined: its parameters are locals 0..n-1; `local(type)` adds more. */
export class FuncBuilder {
  readonly code = new Code();
  private readonly extra: ValType[] = [];
  constructor(readonly params: readonly ValType[]) {}
  /** A new local of `type`; returns its index. */
  local(type: ValType): number {
    this.extra.push(type);
    return this.params.length + this.extra.length - 1;
  }
  /** The locals section of the body: runs of equal types. */
  encodeLocals(out: number[]): void {
    const runs: [number, ValType][] = [];
    for (const t of this.extra) {
      const last = runs[runs.length - 1];
      if (last && last[1] === t) last[0]++;
      else runs.push([1, t]);
    }
    uleb(out, runs.length);
    for (const [n, t] of runs) {
      uleb(out, n);
      out.push(t);
    }
  }
}

interface FuncEntry {
  type: number;
  body?: FuncBuilder;
  export?: string;
  params: readonly ValType[];
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

export class ModuleBuilder {
  private readonly types: string[] = [];
  private readonly typeBytes: number[][] = [];
  private readonly imports: { module: string; name: string; type: number }[] = [];
  private readonly funcs: FuncEntry[] = [];
  private readonly globals: { type: ValType; mutable: boolean; init: Code }[] = [];
  private readonly globalExports: [string, number][] = [];
  private memory?: MemoryImport;

  /** Imports the module's linear memory (index 0). */
  importMemory(m: MemoryImport): this {
    this.memory = m;
    return this;
  }

  /** The index of a function type, shared by equal signatures. */
  type(params: readonly ValType[], results: readonly ValType[]): number {
    const key = `${params.join(",")}>${results.join(",")}`;
    let i = this.types.indexOf(key);
    if (i < 0) {
      const b: number[] = [0x60];
      uleb(b, params.length);
      b.push(...params);
      uleb(b, results.length);
      b.push(...results);
      i = this.types.length;
      this.types.push(key);
      this.typeBytes.push(b);
    }
    return i;
  }

  /** Imports a function; every import must come before the first declared function. */
  importFunc(module: string, name: string, params: readonly ValType[], results: readonly ValType[]): number {
    if (this.funcs.length > 0) throw new Error("ModuleBuilder: import functions before declaring any");
    this.imports.push({ module, name, type: this.type(params, results) });
    return this.imports.length - 1;
  }

  /** Declares a function (its body comes later through `define`); returns its index. */
  declare(params: readonly ValType[], results: readonly ValType[], exportName?: string): number {
    this.funcs.push({
      type: this.type(params, results),
      params,
      ...(exportName === undefined ? {} : { export: exportName }),
    });
    return this.imports.length + this.funcs.length - 1;
  }

  /** Defines the body of a declared function. */
  define(index: number, build: (f: FuncBuilder, c: Code) => void): void {
    const entry = this.funcs[index - this.imports.length];
    if (!entry) throw new Error(`ModuleBuilder: no declared function ${index}`);
    if (entry.body) throw new Error(`ModuleBuilder: function ${index} is defined twice`);
    const f = new FuncBuilder(entry.params);
    build(f, f.code);
    entry.body = f;
  }

  /** Declares and defines a function at once. */
  func(
    params: readonly ValType[],
    results: readonly ValType[],
    build: (f: FuncBuilder, c: Code) => void,
    exportName?: string,
  ): number {
    const i = this.declare(params, results, exportName);
    this.define(i, build);
    return i;
  }

  /** A global initialized by a constant expression (e.g. `new Code().i32(0)`). */
  global(type: ValType, mutable: boolean, init: Code, exportName?: string): number {
    this.globals.push({ type, mutable, init });
    const i = this.globals.length - 1;
    if (exportName !== undefined) this.globalExports.push([exportName, i]);
    return i;
  }

  /** The module's binary. */
  toBytes(): Uint8Array<ArrayBuffer> {
    const out: number[] = [...MAGIC];
    const section = (id: number, content: number[]): void => {
      out.push(id);
      uleb(out, content.length);
      for (const b of content) out.push(b);
    };
    // Import and export names are ASCII identifiers; TextEncoder is not available in every sandbox.
    const name = (b: number[], s: string): void => {
      uleb(b, s.length);
      for (let i = 0; i < s.length; i++) {
        const ch = s.charCodeAt(i);
        if (ch > 0x7f) throw new Error(`ModuleBuilder: non-ASCII name '${s}'`);
        b.push(ch);
      }
    };

    const types: number[] = [];
    uleb(types, this.typeBytes.length);
    for (const t of this.typeBytes) types.push(...t);
    section(1, types);

    const imports: number[] = [];
    uleb(imports, this.imports.length + (this.memory ? 1 : 0));
    if (this.memory) {
      const m = this.memory;
      name(imports, m.module);
      name(imports, m.name);
      imports.push(0x02);
      if (m.shared) {
        if (m.maxPages === undefined) throw new Error("ModuleBuilder: shared memory needs maxPages");
        imports.push(0x03);
        uleb(imports, m.minPages);
        uleb(imports, m.maxPages);
      } else if (m.maxPages !== undefined) {
        imports.push(0x01);
        uleb(imports, m.minPages);
        uleb(imports, m.maxPages);
      } else {
        imports.push(0x00);
        uleb(imports, m.minPages);
      }
    }
    for (const imp of this.imports) {
      name(imports, imp.module);
      name(imports, imp.name);
      imports.push(0x00);
      uleb(imports, imp.type);
    }
    section(2, imports);

    const fns: number[] = [];
    uleb(fns, this.funcs.length);
    for (const f of this.funcs) uleb(fns, f.type);
    section(3, fns);

    if (this.globals.length > 0) {
      const g: number[] = [];
      uleb(g, this.globals.length);
      for (const gl of this.globals) {
        g.push(gl.type, gl.mutable ? 1 : 0);
        g.push(...gl.init.bytes, 0x0b);
      }
      section(6, g);
    }

    const exports: number[] = [];
    const fnExports = this.funcs.flatMap((f, i) =>
      f.export === undefined ? [] : [[f.export, this.imports.length + i] as const],
    );
    uleb(exports, fnExports.length + this.globalExports.length);
    for (const [n, i] of fnExports) {
      name(exports, n);
      exports.push(0x00);
      uleb(exports, i);
    }
    for (const [n, i] of this.globalExports) {
      name(exports, n);
      exports.push(0x03);
      uleb(exports, i);
    }
    section(7, exports);

    const code: number[] = [];
    uleb(code, this.funcs.length);
    this.funcs.forEach((f, i) => {
      if (!f.body) throw new Error(`ModuleBuilder: function ${this.imports.length + i} was declared but not defined`);
      const body: number[] = [];
      f.body.encodeLocals(body);
      for (const b of f.body.code.bytes) body.push(b);
      body.push(0x0b);
      uleb(code, body.length);
      for (const b of body) code.push(b);
    });
    section(10, code);
    return new Uint8Array(out);
  }
}

/** The i32 type, re-exported for the common case of pointer and size parameters. */
export const PTR = I32;
