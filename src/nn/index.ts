/** Neural-network basics (activations and their numerically stable forms). */
export * from "./activations.js";
