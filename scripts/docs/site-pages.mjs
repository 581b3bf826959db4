// The two small pages of the docs site around the references: the start page that picks the
// language and offers the downloads, and "try it against the mock". Both are bilingual
// (each Chinese block says so with lang="zh-CN"), self-contained and under the same policy
// as the references: nothing is loaded from anywhere.
import { readFileSync } from "node:fs";
import { LANGUAGES, SITE } from "./languages.mjs";

// The packages are not on the npm registry yet: the page says how to install the packed
// tarball, named after the package's own version.
const MOCK_VERSION = JSON.parse(
  readFileSync(new URL("../../packages/mock/package.json", import.meta.url), "utf8"),
).version;
export const MOCK_INSTALL = `npm pack --workspace @evs-toolkit/mock   # in a clone of this repository
npm install --save-dev ./evs-toolkit-mock-${MOCK_VERSION}.tgz   # in your project`;

const en = LANGUAGES.en;
const zh = LANGUAGES["zh-CN"];

const STYLE = `
  body { margin: 0; font: 16px/1.6 system-ui, sans-serif; color: #1f2d3d; background: #f6f8fa; }
  main { max-width: 56em; margin: 0 auto; padding: 2em 1.5em 4em; }
  h1 { font-size: 1.9em; margin: 0.2em 0 0.6em; }
  h2 { margin-top: 1.8em; }
  .languages { display: grid; grid-template-columns: repeat(auto-fit, minmax(16em, 1fr)); gap: 1em; }
  .language { display: block; padding: 1.2em 1.4em; border-radius: 8px; background: #fff;
    border: 1px solid #d0d7de; text-decoration: none; color: inherit; }
  .language:hover, .language:focus { border-color: #0969da; }
  .language strong { display: block; font-size: 1.3em; color: #0969da; }
  pre { background: #1f2d3d; color: #f6f8fa; padding: 0.9em 1.1em; border-radius: 6px; overflow-x: auto; }
  code { font-family: ui-monospace, monospace; font-size: 0.92em; }
  table { border-collapse: collapse; }
  td, th { padding: 0.3em 1em 0.3em 0; text-align: left; }
  nav { margin-bottom: 1em; }
`;

function page({ title, body }, policy) {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <meta http-equiv="Content-Security-Policy" content="${policy}" />
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

export function startPage(policy) {
  return page(
    {
      title: "EVS Snapshot API docs · 云硬盘快照 API 文档",
      body: `<h1>EVS Snapshot API <span lang="zh-CN">云硬盘快照 API</span></h1>
<p>The reference of the snapshot API of EVS (Elastic Volume Service) on Huawei Cloud and Open
Telekom Cloud, in two languages from one contract.
<span lang="zh-CN">华为云和 Open Telekom Cloud 云硬盘（EVS）快照 API 的参考文档，同一份接口定义，两种语言。</span></p>

<div class="languages">
  <a class="language" id="pick-en" href="${en.page}" hreflang="en">
    <strong>English</strong> API reference
  </a>
  <a class="language" id="pick-zh-CN" href="${zh.page}" hreflang="zh-CN" lang="zh-CN">
    <strong>简体中文</strong> API 参考
  </a>
</div>

<h2>Downloads <span lang="zh-CN">下载</span></h2>
<table>
  <tr><th>OpenAPI 3.1</th><th>YAML</th><th>JSON</th></tr>
  <tr><td>The contract (English) <span lang="zh-CN">接口定义（英文）</span></td>
    <td><a href="${en.specYaml}" download>${en.specYaml}</a></td>
    <td><a href="${en.specJson}" download>${en.specJson}</a></td></tr>
  <tr><td lang="zh-CN">接口定义（中文说明）</td>
    <td><a href="${zh.specYaml}" download>${zh.specYaml}</a></td>
    <td><a href="${zh.specJson}" download>${zh.specJson}</a></td></tr>
</table>

<h2>Try it <span lang="zh-CN">试用</span></h2>
<p><a id="to-mock" href="${SITE.mock}">Try the API against the mock</a> on your own machine:
no account, no cloud. <span lang="zh-CN"><a href="${SITE.mock}">在本机的模拟服务上试用 API</a>，无需账号，无需云资源。</span></p>`,
    },
    policy,
  );
}

const CLIENT_SNIPPET = `import { createEvsClient, iterateSnapshots } from "@evs-toolkit/client";

const evs = createEvsClient({
  endpoint: "http://127.0.0.1:4010",
  projectId: "demo",
  auth: { token: "any" },
});
for await (const snapshot of iterateSnapshots(evs))
  console.log(snapshot.id, snapshot.status);`;

export function mockPage(policy) {
  return page(
    {
      title: "Try it against the mock · 在模拟服务上试用",
      body: `<nav><a href="${SITE.start}">← All docs <span lang="zh-CN">全部文档</span></a></nav>
<h1>Try it against the mock</h1>
<p>The mock package <code>@evs-toolkit/mock</code> serves this API on your machine, answering
as the contract says, with no account and no cloud. Send any token in the
<code>X-Auth-Token</code> header.</p>
<ol>
  <li>Install it (it is not on the npm registry yet: pack it from this repository):
    <pre><code>${MOCK_INSTALL}</code></pre></li>
  <li>Start it: <pre><code>npx evs-mock --port 4010</code></pre></li>
  <li>Call it with curl: <pre><code>curl -H 'X-Auth-Token: any' http://127.0.0.1:4010/v2/demo/cloudsnapshots/detail</code></pre>
    or with the typed client <code>@evs-toolkit/client</code>:
    <pre><code>${CLIENT_SNIPPET}</code></pre></li>
</ol>
<p>What each operation accepts and answers: <a href="${en.page}">the API reference</a>.</p>

<section lang="zh-CN">
<h1>在模拟服务上试用</h1>
<p>模拟服务包 <code>@evs-toolkit/mock</code> 在本机提供此 API，按接口定义响应，无需账号，无需云资源。在消息头 <code>X-Auth-Token</code> 中携带任意 Token 即可。</p>
<ol>
  <li>安装（尚未发布到 npm 仓库：请从本仓库打包）：<pre><code>${MOCK_INSTALL}</code></pre></li>
  <li>启动：<pre><code>npx evs-mock --port 4010</code></pre></li>
  <li>用 curl 调用：<pre><code>curl -H 'X-Auth-Token: any' http://127.0.0.1:4010/v2/demo/cloudsnapshots/detail</code></pre>
    或使用类型化客户端 <code>@evs-toolkit/client</code>：
    <pre><code>${CLIENT_SNIPPET}</code></pre></li>
</ol>
<p>各接口的请求和响应：<a href="${zh.page}">API 参考</a>。</p>
</section>`,
    },
    policy,
  );
}
