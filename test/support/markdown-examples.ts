// The code blocks of a markdown file, each with the marker on the line before its fence:
// `<!-- example: NAME -->` (a test runs it under that name) or `<!-- not run: REASON -->`.
// A block without either is returned with `marker: undefined`, so a test can refuse it:
// the rule is that no example in a README goes unexecuted by accident.

export type BlockMarker = { run: string } | { notRun: string } | undefined;

export interface CodeBlock {
  /** The fence's info string: `ts`, `sh`, … (empty for a bare fence). */
  lang: string;
  code: string;
  /** 1-based line of the opening fence, for messages. */
  line: number;
  marker: BlockMarker;
}

const FENCE = /^(`{3,}|~{3,})\s*([\w-]*)/;
const RUN = /^<!--\s*example:\s*([a-z0-9-]+)\s*-->$/;
const NOT_RUN = /^<!--\s*not run:\s*(.*?)\s*-->$/;

function markerOf(line: string | undefined): BlockMarker {
  const text = line?.trim() ?? "";
  const run = RUN.exec(text);
  if (run) return { run: run[1]! };
  const notRun = NOT_RUN.exec(text);
  if (notRun) return { notRun: notRun[1]! };
  return undefined;
}

/** Every fenced block, in order. An unclosed fence is an error naming its line. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const end = lines.findIndex(
      (line, j) =>
        j > i &&
        line.startsWith(fence[0]!.repeat(fence.length)) &&
        !line.slice(fence.length).trim(),
    );
    if (end < 0) throw new Error(`line ${i + 1}: the code fence ${fence} is never closed`);
    blocks.push({
      lang: open[2] ?? "",
      code: `${lines.slice(i + 1, end).join("\n")}\n`,
      line: i + 1,
      marker: markerOf(lines[i - 1]),
    });
    i = end;
  }
  return blocks;
}
