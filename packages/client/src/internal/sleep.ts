import { EvsTimeoutError } from "../errors.js";
import { requestLabel } from "./text.js";

/** The "aborted" EvsTimeoutError for a caller's signal; its reason stays the cause. */
export function abortedError(signal: AbortSignal, method?: string, path?: string): EvsTimeoutError {
  return new EvsTimeoutError(`${requestLabel(method, path)} was aborted by the caller`, {
    reason: "aborted",
    method,
    path,
    cause: signal.reason,
  });
}

/** Resolves after `ms`, or rejects with an "aborted" EvsTimeoutError as soon as `signal` fires. */
export function sleep(
  ms: number,
  signal?: AbortSignal | null,
  what?: { method?: string; path?: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal!, what?.method, what?.path));
    };
    if (signal?.aborted) return onAbort();
    if (ms <= 0) return resolve();
    timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
