// The two languages of the reference: where each page and spec file goes, and the strings
// of the page around Redoc. Redoc CE 3 has no option for its own UI labels ("Request",
// "Responses", ...): its built-in translation hook is a stub in the standalone bundle. What
// it does let a page set is translated here: the download buttons' titles and the page
// title; the sidebar's section names come from the (translated) spec itself.

/** Files of the site, relative to dist/docs/. */
export const SITE = {
  start: "start.html",
  mock: "try-the-mock.html",
  specYaml: "evs-snapshots.yaml",
  specJson: "evs-snapshots.json",
};

export const LANGUAGES = {
  en: {
    lang: "en",
    page: "index.html",
    specYaml: SITE.specYaml,
    specJson: SITE.specJson,
    title: "EVS Snapshot API reference",
    siteLabel: "Site",
    startLabel: "All docs and downloads",
    mockLabel: "Try it against the mock",
    otherLabel: "中文",
    downloads: { yaml: "OpenAPI description (YAML)", json: "OpenAPI description (JSON)" },
  },
  "zh-CN": {
    lang: "zh-CN",
    page: "zh-CN.html",
    specYaml: "evs-snapshots.zh-CN.yaml",
    specJson: "evs-snapshots.zh-CN.json",
    overlay: "openapi/overlays/zh-CN.yaml",
    title: "云硬盘快照 API 参考",
    siteLabel: "站点",
    startLabel: "全部文档和下载",
    mockLabel: "在模拟服务上试用",
    otherLabel: "English",
    downloads: { yaml: "OpenAPI 描述（YAML，中文说明）", json: "OpenAPI 描述（JSON，中文说明）" },
  },
};

export const otherLanguage = (code) => (code === "en" ? LANGUAGES["zh-CN"] : LANGUAGES.en);
