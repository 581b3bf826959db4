import { existsSync } from "node:fs";
import { copyFile, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, inject, test } from "vitest";
import { type PackedInstall, packAndInstall, type Run, run, runOk } from "../support/packed.js";

const NAME = "@evs-toolkit/client";
const root = fileURLToPath(new URL("../..", import.meta.url));
const clientDir = path.join(root, "packages/client");
const fixtures = path.join(root, "test/package/fixtures");
// The repo's own compiler: the consumer project installs nothing but the tarball.
const repoRequire = createRequire(import.meta.url);
const COMPILERS = {
  "TypeScript 5.9": repoRequire.resolve("typescript/bin/tsc"),
  // The native compiler (aliased devDependency typescript7 = typescript@7).
  // Its exports map hides bin/, so the path is taken from its package folder.
  "TypeScript 7": path.join(
    path.dirname(repoRequire.resolve("typescript7/package.json")),
    "bin/tsc",
  ),
};
const bin = (name: string) => path.join(root, "node_modules/.bin", name);

let consumer = "";
let installed = "";
let tarballFiles: string[] = [];
let tarballPath = "";
let packed: PackedInstall | undefined;

beforeAll(async () => {
  packed = await packAndInstall(clientDir);
  ({ consumer, files: tarballFiles, tarball: tarballPath } = packed);
  installed = path.join(consumer, "node_modules", NAME);

  // The fixtures are copied as they are (the repo's own type check excludes them in tsconfig.json).
  for (const file of await readdir(fixtures))
    await copyFile(path.join(fixtures, file), path.join(consumer, file));
}, 180_000);

afterAll(() => packed?.remove());

/**
 * Lists the exports and uses them for real (a token call to the Prism mock, an AK/SK
 * signature through node:crypto), in the consumer, from ESM or from CJS; returns what it
 * saw as JSON so the two builds can be compared value for value.
 */
async function exercise(format: "esm" | "cjs"): Promise<Record<string, unknown>> {
  const body = `async (m, aksk, raw) => {
    const client = m.createEvsClient({ endpoint: ${JSON.stringify(inject("prismUrl"))}, projectId: 'p1', auth: { token: 't' } });
    const page = await client.listSnapshots();
    const request = new Request('https://evs.eu-de.otc.t-systems.com/v2/p1/cloudsnapshots/detail?limit=1');
    const signed = await aksk.signRequest(request, { accessKey: 'AK', secretKey: 'SK' }, new Date(0));
    const signing = m.createEvsClient({ endpoint: ${JSON.stringify(inject("prismUrl"))}, projectId: 'p1', auth: aksk.akSk({ accessKey: 'AK', secretKey: 'SK' }) });
    const rawAnswer = await raw.rawClient(signing).GET('/v2/{project_id}/cloudsnapshots/detail', { params: { path: { project_id: 'p1' } } });
    return JSON.stringify({
      exports: Object.fromEntries([...Object.keys(m), ...Object.keys(aksk), ...Object.keys(raw)].sort().map((name) => [name, typeof (m[name] ?? aksk[name] ?? raw[name])])),
      rawStatus: rawAnswer.response.status,
      errorsExtendError: [m.EvsApiError, m.EvsValidationError].map((C) => C.prototype instanceof Error),
      methods: ['createSnapshot', 'listSnapshots', 'updateSnapshot', 'getSnapshot', 'deleteSnapshot', 'rollbackSnapshot'].map((k) => typeof client[k]),
      listed: page.snapshots.length,
      authorization: signed.headers.get('authorization'),
    });
  }`;
  if (format === "esm") {
    const script = `import * as m from '${NAME}'; import * as aksk from '${NAME}/aksk'; import * as raw from '${NAME}/raw'; console.log(await (${body})(m, aksk, raw));`;
    return JSON.parse(
      await runOk(process.execPath, ["--input-type=module", "-e", script], consumer),
    );
  }
  await writeFile(
    path.join(consumer, "exercise.cjs"),
    `(${body})(require('${NAME}'), require('${NAME}/aksk'), require('${NAME}/raw')).then(console.log);`,
  );
  return JSON.parse(await runOk(process.execPath, ["exercise.cjs"], consumer));
}

async function typecheck(
  name: string,
  compilerOptions: Record<string, unknown>,
  files: string[],
  tsc: string = COMPILERS["TypeScript 5.9"],
): Promise<Run> {
  const config = path.join(consumer, `tsconfig.${name}.json`);
  // No @types/node: the declarations must stand on the DOM lib alone, as in a browser app.
  const base = {
    strict: true,
    noEmit: true,
    target: "es2022",
    lib: ["es2022", "dom", "dom.iterable"],
    types: [],
    skipLibCheck: true,
  };
  await writeFile(
    config,
    JSON.stringify({ compilerOptions: { ...base, ...compilerOptions }, files }),
  );
  return run(process.execPath, [tsc, "-p", config, "--pretty", "false"], consumer);
}

/** Every file path named in an `exports` value (conditions nest). */
function exportTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(exportTargets);
  return [];
}

describe("the packed and installed @evs-toolkit/client", () => {
  test("works from ESM: node --input-type=module", async () => {
    const result = await exercise("esm");
    expect(result.exports).toMatchObject({
      createEvsClient: "function",
      evsEndpoint: "function",
      iterateSnapshots: "function",
      waitForSnapshot: "function",
      waitForSnapshotDeleted: "function",
      EvsApiError: "function",
      EvsValidationError: "function",
      signRequest: "function",
      akSk: "function",
      rawClient: "function",
    });
    expect(result.rawStatus).toBe(200);
    expect(result.errorsExtendError).toEqual([true, true]);
    expect(result.methods).toEqual(Array(6).fill("function"));
    expect(result.listed).toBeGreaterThan(0);
    expect(result.authorization).toMatch(
      /^SDK-HMAC-SHA256 Access=AK, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
    );
  });

  test("works from CJS: require() in a .cjs file, with the same exports and results", async () => {
    expect(await exercise("cjs")).toEqual(await exercise("esm"));
  });

  test("one error class whatever the module system: instanceof holds across import and require", async () => {
    // A mixed app: an ESM module and a CJS module of the same process each load the package;
    // an error thrown by the client one of them made is an instance of the other's class.
    await writeFile(
      path.join(consumer, "mixed-helper.cjs"),
      `const evs = require('${NAME}');
module.exports = {
  EvsApiError: evs.EvsApiError,
  EvsValidationError: evs.EvsValidationError,
  fail: () => evs.createEvsClient({ endpoint: 'http://evs.localhost', projectId: 'p', auth: { token: 'tok-en' } }),
};`,
    );
    const script = `
      import { createRequire } from 'node:module';
      import * as esm from '${NAME}';
      const cjs = createRequire(import.meta.url)('./mixed-helper.cjs');
      let thrown;
      try { cjs.fail(); } catch (error) { thrown = error; }
      let esmThrown;
      try { esm.createEvsClient({ endpoint: 'ftp://x', projectId: 'p', auth: { token: 'tok-en' } }); } catch (error) { esmThrown = error; }
      console.log(JSON.stringify({
        sameClass: esm.EvsApiError === cjs.EvsApiError,
        requiredErrorIsImportedClass: thrown instanceof esm.EvsValidationError && thrown instanceof esm.EvsError,
        importedErrorIsRequiredClass: esmThrown instanceof cjs.EvsValidationError,
      }));`;
    const result = JSON.parse(
      await runOk(process.execPath, ["--input-type=module", "-e", script], consumer),
    );
    expect(result).toEqual({
      sameClass: true,
      requiredErrorIsImportedClass: true,
      importedErrorIsRequiredClass: true,
    });
  });

  // node16 is the strict one: it has no require(esm), so it checks the ESM usage only, with
  // the shipped .d.ts tree itself (skipLibCheck off; openapi-fetch's declarations get
  // checked with it). nodenext models require(esm) (TypeScript >= 5.8, and 7), so it also
  // checks the CommonJS usage. Each under TypeScript 5.9 and TypeScript 7.
  const MATRIX = [
    {
      resolution: "node16",
      files: ["usage.ts"],
      options: { skipLibCheck: false },
    },
    { resolution: "nodenext", files: ["usage.ts", "usage-require.cts"], options: {} },
    { resolution: "bundler", files: ["usage.ts"], options: { module: "preserve" } },
  ];
  test.each(
    Object.keys(COMPILERS).flatMap((compiler) => MATRIX.map((entry) => ({ compiler, ...entry }))),
  )(
    "$compiler type-checks a typical use under moduleResolution $resolution",
    async ({ compiler, resolution, files, options }) => {
      const result = await typecheck(
        `${resolution}-${compiler.replace(/\W/g, "")}`,
        { module: resolution, moduleResolution: resolution, ...options },
        files,
        COMPILERS[compiler as keyof typeof COMPILERS],
      );
      expect(result.stdout).toBe("");
      expect(result.ok).toBe(true);
    },
    120_000,
  );

  test("refuses a wrongly typed body (the type check can fail)", async () => {
    const result = await typecheck(
      "type-error",
      { module: "nodenext", moduleResolution: "nodenext" },
      ["type-error.ts"],
    );
    expect(result.ok).toBe(false);
    const errors = result.stdout.split("\n").filter((line) => line.includes("error TS"));
    expect(errors).toEqual([
      expect.stringMatching(
        /^type-error\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
      ),
    ]);
  });

  test("the tarball holds the build and the manifest, no source or tests", () => {
    const files = tarballFiles.map((file) => file.replace(/^package\//, ""));
    expect(
      files.filter(
        (file) =>
          !file.startsWith("dist/") && !["package.json", "README.md", "LICENSE"].includes(file),
      ),
    ).toEqual([]);
    expect(
      files.filter((file) => /(^|\/)(src|tests?)\/|\.(test|spec)(-d)?\.[cm]?[jt]s$/.test(file)),
    ).toEqual([]);
    expect(files).toEqual(
      expect.arrayContaining([
        "dist/index.js",
        "dist/aksk.js",
        "dist/raw.js",
        "dist/index.d.ts",
        "dist/aksk.d.ts",
        "dist/raw.d.ts",
        "dist/generated/openapi.d.ts",
      ]),
    );
    // ESM only: one implementation, loaded by require(esm) too.
    expect(files.filter((file) => /\.c[jt]s$/.test(file))).toEqual([]);
  });

  test("every path in the installed package.json exists, and Node resolves import and require to them", async () => {
    const manifest = JSON.parse(await readFile(path.join(installed, "package.json"), "utf8"));
    // ESM only: no main/module, `exports` is the map (types for tools without exports support).
    expect(manifest.main).toBeUndefined();
    const named = [manifest.types, ...exportTargets(manifest.exports)];
    expect(
      named.filter((file) => typeof file !== "string" || !existsSync(path.join(installed, file))),
    ).toEqual([]);

    const resolvedImport = await runOk(
      process.execPath,
      ["--input-type=module", "-e", `console.log(import.meta.resolve('${NAME}'))`],
      consumer,
    );
    expect(resolvedImport.trim()).toBe(pathToFileURL(path.join(installed, "dist/index.js")).href);
    const consumerRequire = createRequire(path.join(consumer, "package.json"));
    for (const entry of ["index", "aksk", "raw"]) {
      const specifier = entry === "index" ? NAME : `${NAME}/${entry}`;
      expect(consumerRequire.resolve(specifier)).toBe(path.join(installed, `dist/${entry}.js`));
    }
  });

  test("publint finds nothing to fix in the package", async () => {
    const result = await run(bin("publint"), ["run", tarballPath, "--strict"], consumer);
    expect(result.stdout + result.stderr).not.toMatch(/error|warning|suggestion/i);
    expect(result.ok).toBe(true);
  });

  test("arethetypeswrong: every entry point resolves with types under node16 (ESM), nodenext and bundlers", async () => {
    // esm-only: CommonJS consumers get require(esm) (Node >= 22.12), which node16
    // resolution cannot model; attw's profile for ESM-only packages ignores exactly that.
    const result = await run(
      bin("attw"),
      [tarballPath, "--profile", "esm-only", "--format", "ascii"],
      consumer,
    );
    expect(result.ok).toBe(true);
    const lines = result.stdout.split("\n");
    // Only the CommonJS resolutions the profile ignores may report anything.
    expect(lines.filter((line) => /[⚠💀❌]/u.test(line) && !line.includes("(ignored"))).toEqual([]);
    for (const resolution of ["node16 (from ESM): 🟢", "bundler: 🟢"])
      expect(lines.filter((line) => line.startsWith(resolution))).toHaveLength(4);
  });

  test("the ESM bundle bundles for the browser without Node builtins", async () => {
    // platform 'browser' cannot resolve node:* (or crypto), so any such import fails the build.
    const result = await build({
      stdin: {
        contents: `export * from '${NAME}'; export * from '${NAME}/aksk'; export * from '${NAME}/raw';`,
        resolveDir: consumer,
        loader: "js",
      },
      absWorkingDir: consumer,
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain(`node_modules/${NAME}/dist/index.js`);
    // openapi-fetch is a dependency for its types only: raw sends through the client's transport.
    expect(
      inputs.filter(
        (input) => input.startsWith("node_modules/") && !input.startsWith(`node_modules/${NAME}/`),
      ),
    ).toEqual([]);
    const [output] = result.outputFiles;
    if (!output) throw new Error("esbuild wrote no bundle");
    const gzip = gzipSync(output.contents, { level: 9 }).length;
    console.log(
      `${NAME} browser bundle (full API): ${output.contents.length} B minified, ${gzip} B minified+gzip`,
    );
  });
});
