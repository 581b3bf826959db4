// Types of bundle-options.mjs, for the TypeScript test that imports it.
import type { BuildOptions } from "esbuild";

export declare const ENTRY_POINTS: readonly string[];
export declare const bundleOptions: BuildOptions;
