// nakg query workbench: a SPARQL editor with highlighting, searchable examples, sortable and paged results,
// downloads and permalinks. Plain JavaScript, no library, nothing loaded from elsewhere.
// Data from the server is only ever put into the page with textContent (never innerHTML).
"use strict";

(function () {
  const NAKG = "https://w3id.org/nakg/";
  const PAGE_SIZE = 50;
  const PREFIXES = {
    "https://w3id.org/nakg/resource/": "res:", "https://w3id.org/nakg/": "nakg:",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs:", "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf:",
    "http://www.w3.org/2004/02/skos/core#": "skos:", "http://www.w3.org/2002/07/owl#": "owl:",
    "http://www.w3.org/2001/XMLSchema#": "xsd:", "http://purl.org/dc/terms/": "dcterms:",
    "http://www.w3.org/ns/prov#": "prov:", "http://qudt.org/vocab/unit/": "unit:",
  };
  const NUMERIC = /#(integer|decimal|double|float|int|long|short|nonNegativeInteger|positiveInteger)$/;

  const form = document.getElementById("query-form");
  const area = document.getElementById("query");
  const highlight = document.getElementById("highlight");
  const status = document.getElementById("status");
  const results = document.getElementById("results");
  const downloads = document.getElementById("downloads");
  const permalink = document.getElementById("permalink");
  const search = document.getElementById("example-search");
  const exampleCount = document.getElementById("example-count");

  // --- editor: a highlighted copy of the text behind a transparent text area -------------------------------------
  const TOKEN = new RegExp([
    "(#[^\\n]*)",                                  // 1 comment
    "(\"\"\"[\\s\\S]*?\"\"\"|'''[\\s\\S]*?'''|\"(?:[^\"\\\\\\n]|\\\\.)*\"|'(?:[^'\\\\\\n]|\\\\.)*')",  // 2 string
    "(<[^<>\"{}|^`\\\\\\s]*>)",                     // 3 IRI
    "([?$][A-Za-z_0-9]+)",                          // 4 variable
    "([A-Za-z][\\w.-]*)?:([\\w.-]*)",               // 5, 6 prefixed name
    "(@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)",               // 7 language tag
    "(\\b\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?\\b)",   // 8 number
    "([A-Za-z_]+)",                                  // 9 word
  ].join("|"), "g");
  const KEYWORDS = new Set(("SELECT CONSTRUCT DESCRIBE ASK WHERE PREFIX BASE FILTER OPTIONAL UNION MINUS GRAPH SERVICE BIND " +
    "VALUES GROUP BY ORDER HAVING LIMIT OFFSET DISTINCT REDUCED AS ASC DESC NOT EXISTS IN FROM NAMED A COUNT SUM MIN MAX " +
    "AVG SAMPLE GROUP_CONCAT SEPARATOR IF COALESCE STR LANG LANGMATCHES DATATYPE BOUND IRI URI BNODE STRLEN SUBSTR UCASE " +
    "LCASE STRSTARTS STRENDS CONTAINS REGEX REPLACE ISIRI ISURI ISBLANK ISLITERAL ISNUMERIC ABS ROUND CEIL FLOOR TRUE FALSE " +
    "UNDEF").split(" "));

  function highlightText(text) {
    const out = document.createDocumentFragment();
    let last = 0;
    const span = (cls, s) => { const e = document.createElement("span"); e.className = cls; e.textContent = s; out.appendChild(e); };
    for (const m of text.matchAll(TOKEN)) {
      if (m.index > last) out.appendChild(document.createTextNode(text.slice(last, m.index)));
      const s = m[0];
      if (m[1]) span("tok-comment", s);
      else if (m[2]) span("tok-string", s);
      else if (m[3]) span("tok-iri", s);
      else if (m[4]) span("tok-var", s);
      else if (m[6] !== undefined || s.endsWith(":")) span("tok-pname", s);
      else if (m[7]) span("tok-lang", s);
      else if (m[8]) span("tok-number", s);
      else if (m[9] && KEYWORDS.has(s.toUpperCase()) && (s !== "a" || true)) span("tok-keyword", s);
      else out.appendChild(document.createTextNode(s));
      last = m.index + s.length;
    }
    out.appendChild(document.createTextNode(text.slice(last) + "\n"));
    return out;
  }

  function refresh() {
    highlight.replaceChildren(highlightText(area.value));
    highlight.scrollTop = area.scrollTop;
    highlight.scrollLeft = area.scrollLeft;
  }
  area.addEventListener("input", refresh);
  area.addEventListener("scroll", () => { highlight.scrollTop = area.scrollTop; highlight.scrollLeft = area.scrollLeft; });
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
    if (event.key === "Tab" && !event.shiftKey && !event.ctrlKey) {  // indent instead of leaving the editor
      event.preventDefault();
      const start = area.selectionStart;
      area.setRangeText("  ", start, area.selectionEnd, "end");
      refresh();
    }
  });
  refresh();

  // --- examples: collapsed, searchable ---------------------------------------------------------------------------
  const items = Array.from(document.querySelectorAll("#examples li[data-search]"));
  function filterExamples() {
    const words = (search.value || "").toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const li of items) {
      const hit = words.every((w) => li.dataset.search.includes(w));
      li.hidden = !hit;
      shown += hit;
    }
    exampleCount.textContent = words.length ? shown + " of " + items.length : "";
  }
  if (search) search.addEventListener("input", filterExamples);
  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => {
      area.value = button.dataset.query;
      refresh();
      area.focus();
      area.scrollIntoView({ block: "nearest" });
    });
  }

  // --- results: plain values, links, sorting, pages -----------------------------------------------------------------
  let current = null;  // {vars, rows, sortVar, sortDir, page}

  function compact(iri) {
    for (const ns in PREFIXES) if (iri.startsWith(ns) && iri.length > ns.length) return PREFIXES[ns] + iri.slice(ns.length);
    return iri;
  }

  function pagePath(iri) {
    if (iri.startsWith(NAKG)) return "/" + iri.slice(NAKG.length);
    if (/^https?:\/\//.test(iri)) return iri;
    return null;
  }

  function cellContent(term) {
    if (!term) return document.createTextNode("");
    if (term.type === "uri") {
      const target = pagePath(term.value);
      const node = document.createElement(target ? "a" : "span");
      if (target) node.href = target;
      node.title = term.value;
      node.className = "iri";
      node.textContent = compact(term.value);
      return node;
    }
    if (term.type === "bnode") return document.createTextNode("_:" + term.value);
    return document.createTextNode(term.value);  // a literal as its plain value: no language tag, no datatype
  }

  function sortKey(term) {
    if (!term) return null;
    if (term.type === "literal" && term.datatype && NUMERIC.test(term.datatype)) return Number(term.value);
    return term.value;
  }

  function compareTerms(a, b) {
    const x = sortKey(a), y = sortKey(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;  // unbound last
    if (typeof x === "number" && typeof y === "number") return x - y;
    return String(x).localeCompare(String(y), undefined, { numeric: true, sensitivity: "base" });
  }

  function render() {
    const { vars, rows, sortVar, sortDir } = current;
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    current.page = Math.min(Math.max(0, current.page), pages - 1);
    const t = document.createElement("table");
    t.id = "result-table";
    const head = t.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      const b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      b.dataset.var = v;
      b.textContent = v + (sortVar === v ? (sortDir > 0 ? " ▲" : " ▼") : "");
      b.title = "sort by " + v;
      th.setAttribute("aria-sort", sortVar === v ? (sortDir > 0 ? "ascending" : "descending") : "none");
      b.addEventListener("click", () => {
        current.sortDir = current.sortVar === v ? -current.sortDir : 1;
        current.sortVar = v;
        const i = vars.indexOf(v);
        current.rows.sort((r1, r2) => current.sortDir * compareTerms(r1[i], r2[i]));
        current.page = 0;
        render();
      });
      th.appendChild(b);
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const row of rows.slice(current.page * PAGE_SIZE, (current.page + 1) * PAGE_SIZE)) {
      const tr = body.insertRow();
      for (const term of row) tr.insertCell().appendChild(cellContent(term));
    }
    const nav = document.createElement("p");
    nav.className = "pager";
    if (pages > 1) {
      const prev = document.createElement("button");
      prev.type = "button"; prev.id = "prev-page"; prev.textContent = "◀ previous"; prev.disabled = current.page === 0;
      prev.addEventListener("click", () => { current.page -= 1; render(); });
      const next = document.createElement("button");
      next.type = "button"; next.id = "next-page"; next.textContent = "next ▶"; next.disabled = current.page >= pages - 1;
      next.addEventListener("click", () => { current.page += 1; render(); });
      nav.append(prev, " ", next, " ");
    }
    const info = document.createElement("span");
    info.id = "page-info";
    const first = rows.length ? current.page * PAGE_SIZE + 1 : 0;
    info.textContent = "rows " + first + "–" + Math.min(rows.length, (current.page + 1) * PAGE_SIZE) + " of " + rows.length +
      (pages > 1 ? " (page " + (current.page + 1) + " of " + pages + ")" : "");
    nav.appendChild(info);
    results.replaceChildren(nav, t);
  }

  function showText(text, cls) {
    const pre = document.createElement("pre");
    if (cls) pre.className = cls;
    pre.textContent = text;
    results.replaceChildren(pre);
  }

  // --- running, permalinks, downloads ----------------------------------------------------------------------------
  function setPermalink() {
    const url = window.location.pathname + "?query=" + encodeURIComponent(area.value);
    window.history.replaceState(null, "", url);
    permalink.href = url;
    permalink.hidden = false;
  }

  async function post(accept) {
    return fetch(form.action, {
      method: "POST",
      headers: { "Accept": accept },
      body: new URLSearchParams({ query: area.value }),
    });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    results.replaceChildren();
    downloads.hidden = true;
    current = null;
    status.textContent = "running…";
    setPermalink();
    const started = performance.now();
    try {
      const response = await post("application/sparql-results+json, text/turtle;q=0.9");
      const elapsed = Math.round(performance.now() - started);
      const type = response.headers.get("Content-Type") || "";
      const text = await response.text();
      if (!response.ok) {
        status.textContent = "HTTP " + response.status + " (" + elapsed + " ms)";
        showText(text, "error");
        return;
      }
      let note = elapsed + " ms";
      const count = response.headers.get("X-Nakg-Result-Count");
      if (count !== null) note = count + " result(s), " + note;
      if (response.headers.get("X-Nakg-Truncated")) note += " — truncated at the result cap";
      status.textContent = note;
      if (type.startsWith("application/sparql-results+json")) {
        const json = JSON.parse(text);
        if (typeof json.boolean === "boolean") {
          showText("ASK: " + json.boolean);
        } else {
          const vars = json.head.vars || [];
          const rows = json.results.bindings.map((b) => vars.map((v) => b[v] || null));
          current = { vars, rows, sortVar: null, sortDir: 1, page: 0 };
          render();
          downloads.hidden = false;
        }
      } else {
        showText(text);
      }
    } catch (err) {
      status.textContent = "request failed: " + err;
    }
  });

  const FORMATS = {
    csv: ["text/csv", "csv"], tsv: ["text/tab-separated-values", "tsv"], json: ["application/sparql-results+json", "json"],
  };
  for (const button of downloads.querySelectorAll("button[data-format]")) {
    button.addEventListener("click", async () => {
      const [accept, ext] = FORMATS[button.dataset.format];
      const response = await post(accept);
      if (!response.ok) { status.textContent = "download failed: HTTP " + response.status; return; }
      const blob = new Blob([await response.arrayBuffer()], { type: accept });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "nakg-results." + ext;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 10000);
    });
  }

  // a link to the page with ?query=... fills the editor and runs the query (shareable queries)
  const shared = new URLSearchParams(window.location.search).get("query");
  if (shared !== null) {
    area.value = shared;
    refresh();
    form.requestSubmit();
  }
})();
