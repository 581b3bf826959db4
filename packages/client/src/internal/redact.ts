/**
 * Keeps this client's secrets (token, secret key, security token, signatures) out of every
 * error, message and retry callback, whatever the server echoes and wherever: bodies of any
 * status, the reason phrase, request-id headers, JSON with escaped characters (redacted
 * after decoding), percent-encoded copies, and the messages of wrapped runtime errors.
 */

export const REDACTED = "[REDACTED]";

/** A plain data property, as JSON.parse makes them. */
const WRITABLE = { writable: true, enumerable: true, configurable: true } as const;

/** Shorter secrets are not searched for: replacing every "ab" would shred the text, not protect it. */
const MIN_SECRET_LENGTH = 4;
/**
 * An AK/SK signature (64 hex digits; good for its one request for 15 minutes, so a log of
 * it could be replayed): after `Signature=` in any case, quoted or with the `=`
 * percent-encoded, and on its own, as any run of exactly 64 hex digits. That also takes out
 * other SHA-256 digests a server might quote; in an error, that costs nothing. Linear.
 */
const SIGNATURE =
  /(signature(?:=|%3d)(?:"|%22)?)[0-9a-f]{16,}|(?<![0-9a-z])[0-9a-f]{64}(?![0-9a-z])/gi;

export interface Redactor {
  /** `text` with every form of every secret replaced. */
  text(text: string): string;
  /** A JSON value with every string (keys too) redacted; no recursion, so any depth works. */
  json(value: unknown, source?: string): unknown;
  /** An error whose message (or a cause's) carries a secret becomes a redacted copy, cause chain included. */
  error(error: unknown): unknown;
}

/**
 * `secrets` are redacted as they are and as a server might quote them: percent-encoded
 * (encodeURIComponent's way and RFC 3986's, which also escapes !'()*; upper- or lowercase
 * hex) or escaped inside a JSON string.
 */
export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < MIN_SECRET_LENGTH) continue;
    const encoded = encodeURIComponent(secret);
    const strict = encoded.replace(
      /[!'()*]/g,
      (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
    );
    // …and with its `%XX` escapes in lowercase hex, as some servers write them.
    for (const form of [secret, encoded, strict, JSON.stringify(secret).slice(1, -1)])
      forms.add(form).add(form.replace(/%[0-9A-F]{2}/g, (pair) => pair.toLowerCase()));
  }
  const list = [...forms].sort((a, b) => b.length - a.length);

  function text(input: string): string {
    let out = input;
    // The includes() tests are the fast path: nearly all text carries no secret.
    for (const form of list) if (out.includes(form)) out = out.replaceAll(form, REDACTED);
    return out.replace(SIGNATURE, `$1${REDACTED}`);
  }

  /**
   * Every string of a JSON value redacted, keys too. Without recursion (any depth works) and
   * in one pass over each container: arrays in order by index, object keys in order and
   * defined, not assigned, so a key named "__proto__" stays an own key as JSON.parse made it.
   * `source`, the JSON text the value was parsed from: when it holds no escape and no secret,
   * no string parsed from it can, and the value is returned as it is (a large body costs
   * one scan, not a copy).
   */
  function json(value: unknown, source?: string): unknown {
    if (source !== undefined && !source.includes("\\") && text(source) === source) return value;
    const work: [object, object][] = [];
    const copyOf = (item: unknown): unknown => {
      if (typeof item === "string") return text(item);
      if (typeof item !== "object" || item === null) return item;
      const copy = Array.isArray(item) ? [] : {};
      work.push([item, copy]);
      return copy;
    };
    const root = copyOf(value);
    while (work.length > 0) {
      const [item, copy] = work.pop()!;
      if (Array.isArray(item)) for (const child of item) (copy as unknown[]).push(copyOf(child));
      else
        for (const key of Object.keys(item))
          Object.defineProperty(copy, text(key), {
            value: copyOf((item as Record<string, unknown>)[key]),
            ...WRITABLE,
          });
    }
    return root;
  }

  /**
   * `caught` itself when nothing in it or its causes (8 deep; a longer chain is cut there)
   * carries a secret; else a copy in which every error whose message, stack or cause carried
   * one is a new Error: redacted message, same name and string `code`, a stack of just
   * name and message.
   */
  function error(caught: unknown, depth = 0): unknown {
    if (!(caught instanceof Error)) return caught;
    const cause = depth < 7 ? error(caught.cause, depth + 1) : undefined;
    const message = text(caught.message);
    const stack = `${caught.stack}`;
    if (cause === caught.cause && message === caught.message && text(stack) === stack)
      return caught;
    const copy: Error & { code?: unknown } = new Error(
      message,
      cause === undefined ? undefined : { cause },
    );
    copy.name = caught.name;
    const code = (caught as { code?: unknown }).code;
    if (typeof code === "string") copy.code = code;
    copy.stack = `${copy.name}: ${message}`;
    return copy;
  }

  return { text, json, error };
}
