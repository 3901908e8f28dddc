/**
 * Where the parser thread's script is: `parseWorker.js` beside this module in the build.
 * (Jest runs the TypeScript sources, which have no such file: it maps this module to one that
 * points into dist/, see jest.config.cjs.)
 *
 * @module
 */

/** URL of the built parser-thread script. */
export const defaultParseWorkerScript = (): URL => new URL('./parseWorker.js', import.meta.url);
