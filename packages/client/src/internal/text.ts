/**
 * Server text on its way into an error message: bounded (a megabyte of message must not
 * become a megabyte of log line) and inert (control characters and terminal escape
 * sequences would let a server forge log lines or rewrite a terminal). All linear.
 */

/** Longest excerpt of server text that goes into a message. */
export const MAX_MESSAGE_TEXT = 200;

/** `EVS GET /v2/p/cloudsnapshots/detail`: the request an error is about, for messages. */
export function requestLabel(method: string | undefined, path: string | undefined): string {
  return method && path ? `EVS ${method} ${path}` : "EVS request";
}

/**
 * C0 and C1 controls, DEL, the line and paragraph separators, and every Unicode format
 * character (`Cf`: bidi marks, overrides and isolates, zero-width joiners, BOM, soft hyphen,
 * tag characters, interlinear annotations), which reorder or hide text. One character
 * class: linear.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\u2028\u2029]+/gu;

/**
 * One line of at most `max` characters: unsafe characters become a space, runs of spaces
 * collapse, and an ellipsis marks a cut. Only the start of a long text is looked at.
 */
export function inertText(text: string, max: number = MAX_MESSAGE_TEXT): string {
  // Twice the limit leaves room for the characters the replacement removes.
  const head = text.slice(0, max * 2);
  const plain = head.replace(UNSAFE, " ").replace(/ {2,}/g, " ").trim();
  if (plain.length <= max && head.length === text.length) return plain;
  return `${plain.slice(0, max - 1).trimEnd()}…`;
}

/** How much of a non-JSON body the snippet reads: enough for any error page's text. */
const SNIPPET_INPUT = 64 * 1024;

/**
 * A short, single-line excerpt of a non-JSON body (an HTML error page, say): tags, scripts
 * and styles dropped. A forward scan with indexOf, so unclosed tags and `<script` floods
 * cost linear time (a backtracking regular expression here froze the process for minutes).
 */
export function snippet(text: string): string {
  const input = text.slice(0, SNIPPET_INPUT);
  const lower = input.toLowerCase();
  let out = "";
  let at = 0;
  while (at < input.length) {
    const open = input.indexOf("<", at);
    if (open === -1) {
      out += input.slice(at);
      break;
    }
    out += `${input.slice(at, open)} `;
    const close = input.indexOf(">", open + 1);
    if (close === -1) break; // an unclosed tag: the rest is markup
    const element = /^<(script|style)\b/.exec(lower.slice(open, open + 8))?.[1];
    if (element) {
      const end = lower.indexOf(`</${element}`, close + 1);
      if (end === -1) break;
      const endClose = input.indexOf(">", end);
      at = endClose === -1 ? input.length : endClose + 1;
    } else {
      at = close + 1;
    }
    if (out.length > MAX_MESSAGE_TEXT * 4) break;
  }
  return inertText(out.replace(/\s+/g, " "));
}
