/**
 * [key, count, expected]: Random123's known-answer vectors for threefry2x32_20, shared by the
 * reference kernel's tests and the WebGPU generator's.
 */
export const KAT: [number[], number[], number[]][] = [
  [
    [0x13198a2e, 0x03707344],
    [0x243f6a88, 0x85a308d3],
    [0xc4923a9c, 0x483df7a0],
  ],
  [
    [0, 0],
    [0, 0],
    [0x6b200159, 0x99ba4efe],
  ],
  [
    [0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x1cb996fc, 0xbb002be7],
  ],
];
