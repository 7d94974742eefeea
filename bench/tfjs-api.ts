/**
 * The slice of TensorFlow.js's API the benchmarks use, typed here so the repository typechecks
 * without it: TensorFlow.js is a benchmark-only peer installed under bench/ (`npm run bench:install`),
 * never by the test command.
 */
export interface Tensor {
  add(b: Tensor): Tensor;
  mul(b: Tensor | number): Tensor;
  dispose(): void;
  dataSync(): Float32Array | Int32Array | Uint8Array;
}

export interface Tfjs {
  version: { tfjs: string };
  setBackend(name: string): Promise<boolean>;
  ready(): Promise<void>;
  getBackend(): string;
  tensor1d(values: ArrayLike<number>, dtype?: "float32" | "int32"): Tensor;
  tensor2d(values: ArrayLike<number>, shape: [number, number]): Tensor;
  zeros(shape: number[]): Tensor;
  add(a: Tensor, b: Tensor): Tensor;
  mul(a: Tensor, b: Tensor): Tensor;
  matMul(a: Tensor, b: Tensor): Tensor;
  tanh(x: Tensor): Tensor;
  neg(x: Tensor): Tensor;
  mean(x: Tensor): Tensor;
  sum(x: Tensor, axis?: number): Tensor;
  logSoftmax(x: Tensor): Tensor;
  oneHot(indices: Tensor, depth: number): Tensor;
  grads(f: (...args: Tensor[]) => Tensor): (args: Tensor[]) => Tensor[];
  tidy<T>(f: () => T): T;
  dispose(t: Tensor | Tensor[]): void;
}

/** Loads TensorFlow.js from bench/node_modules, or says why it is not there. */
export async function loadTfjs(): Promise<Tfjs | string> {
  if (process.env.BENCH_NO_TFJS) return "skipped (BENCH_NO_TFJS set)";
  // A computed specifier: TypeScript must not resolve the module (it is not installed for tests).
  const specifier = ["@tensorflow", "tfjs"].join("/");
  try {
    const tf = (await import(specifier)) as Tfjs;
    if (!(await tf.setBackend("cpu"))) return "the cpu backend failed to initialise";
    await tf.ready();
    return tf;
  } catch (e) {
    const why = e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e);
    return `not available (${why}); install the benchmark peers with npm run bench:install`;
  }
}
