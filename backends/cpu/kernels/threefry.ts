/**
 * The threefry2x32 kernel: Threefry-2x32 with 20 rounds (Random123; JAX's
 * `_threefry2x32_lowering`), five groups of four rounds with rotations [13, 15, 26, 6] and
 * [17, 29, 16, 24] alternating, and a key injection after each group from the schedule
 * (k0, k1, k0 ^ k1 ^ 0x1BD11BDA). Every step is arithmetic modulo 2^32; words are kept as int32
 * (`| 0`), which has the same bits, and the Uint32Array store reads them back as unsigned.
 */
import type { Kernel } from "./kernel.js";

export const threefry2x32: Kernel<"threefry2x32"> = ([k0s, k1s, x0s, x1s]) => {
  const n = k0s.length;
  const out = new Uint32Array(2 * n);
  for (let i = 0; i < n; i++) {
    const ks0 = k0s[i]! | 0;
    const ks1 = k1s[i]! | 0;
    const ks2 = ks0 ^ ks1 ^ 0x1bd11bda;
    let a = (x0s[i]! + ks0) | 0;
    let b = (x1s[i]! + ks1) | 0;
    // Group 1: rotations 13, 15, 26, 6; inject (ks1, ks2 + 1).
    a = (a + b) | 0;
    b = ((b << 13) | (b >>> 19)) ^ a;
    a = (a + b) | 0;
    b = ((b << 15) | (b >>> 17)) ^ a;
    a = (a + b) | 0;
    b = ((b << 26) | (b >>> 6)) ^ a;
    a = (a + b) | 0;
    b = ((b << 6) | (b >>> 26)) ^ a;
    a = (a + ks1) | 0;
    b = (b + ks2 + 1) | 0;
    // Group 2: rotations 17, 29, 16, 24; inject (ks2, ks0 + 2).
    a = (a + b) | 0;
    b = ((b << 17) | (b >>> 15)) ^ a;
    a = (a + b) | 0;
    b = ((b << 29) | (b >>> 3)) ^ a;
    a = (a + b) | 0;
    b = ((b << 16) | (b >>> 16)) ^ a;
    a = (a + b) | 0;
    b = ((b << 24) | (b >>> 8)) ^ a;
    a = (a + ks2) | 0;
    b = (b + ks0 + 2) | 0;
    // Group 3: rotations 13, 15, 26, 6; inject (ks0, ks1 + 3).
    a = (a + b) | 0;
    b = ((b << 13) | (b >>> 19)) ^ a;
    a = (a + b) | 0;
    b = ((b << 15) | (b >>> 17)) ^ a;
    a = (a + b) | 0;
    b = ((b << 26) | (b >>> 6)) ^ a;
    a = (a + b) | 0;
    b = ((b << 6) | (b >>> 26)) ^ a;
    a = (a + ks0) | 0;
    b = (b + ks1 + 3) | 0;
    // Group 4: rotations 17, 29, 16, 24; inject (ks1, ks2 + 4).
    a = (a + b) | 0;
    b = ((b << 17) | (b >>> 15)) ^ a;
    a = (a + b) | 0;
    b = ((b << 29) | (b >>> 3)) ^ a;
    a = (a + b) | 0;
    b = ((b << 16) | (b >>> 16)) ^ a;
    a = (a + b) | 0;
    b = ((b << 24) | (b >>> 8)) ^ a;
    a = (a + ks1) | 0;
    b = (b + ks2 + 4) | 0;
    // Group 5: rotations 13, 15, 26, 6; inject (ks2, ks0 + 5).
    a = (a + b) | 0;
    b = ((b << 13) | (b >>> 19)) ^ a;
    a = (a + b) | 0;
    b = ((b << 15) | (b >>> 17)) ^ a;
    a = (a + b) | 0;
    b = ((b << 26) | (b >>> 6)) ^ a;
    a = (a + b) | 0;
    b = ((b << 6) | (b >>> 26)) ^ a;
    a = (a + ks2) | 0;
    b = (b + ks0 + 5) | 0;
    out[2 * i] = a;
    out[2 * i + 1] = b;
  }
  return out;
};
