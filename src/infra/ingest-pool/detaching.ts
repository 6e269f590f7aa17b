/**
 * Tells V8, in the calling thread, that ArrayBuffers will be detached here. V8 compiles typed
 * array and Buffer code on the assumption that no ArrayBuffer of the thread has ever been
 * detached (its "ArrayBufferDetaching" protector) and throws all of that optimised code away the
 * first time one is. The ingest pool detaches buffers on every poll (a feed's bytes go to a
 * thread, its rows come back), so the assumption only ever lasted until the first poll: a thread
 * lost the word scanner, matcher, URL and HTML code its warm-up had just optimised, and the event
 * loop its pg and Buffer readers (seen with `--trace-protector-invalidation --trace-deopt`).
 * Detaching one throwaway buffer first, before anything runs hot, has that code compiled once,
 * with the checks it needs anyway.
 */
export function expectDetachedBuffers(): void {
  const buffer = new ArrayBuffer(1);
  structuredClone(buffer, { transfer: [buffer] });
}
