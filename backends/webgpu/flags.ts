/**
 * WebGPU's flag values (fixed by the specification), so the backend does not depend on the
 * `GPUBufferUsage` / `GPUMapMode` globals, which Node's `webgpu` package only provides once its
 * `globals` are installed.
 */
export const BUFFER_MAP_READ = 0x0001;
export const BUFFER_COPY_SRC = 0x0004;
export const BUFFER_COPY_DST = 0x0008;
export const BUFFER_STORAGE = 0x0080;
export const MAP_READ = 0x0001;
