/** The most synchronous reads replayed for one test in the webgpu-unit mode (its attempts are one more). */
export const READ_LIMIT = 40;
