// nakg query page: run the query of the text area against /sparql and show the answer.
// Data from the server is only ever put into the page with textContent (never innerHTML).
"use strict";

(function () {
  const form = document.getElementById("query-form");
  const area = document.getElementById("query");
  const status = document.getElementById("status");
  const results = document.getElementById("results");

  for (const button of document.querySelectorAll("button.example")) {
    button.addEventListener("click", () => {
      area.value = button.dataset.query;
      area.focus();
    });
  }

  function cell(term) {
    if (!term) return "";
    if (term.type === "literal" && term["xml:lang"]) return term.value + " @" + term["xml:lang"];
    if (term.type === "bnode") return "_:" + term.value;
    return term.value;
  }

  function table(json) {
    const vars = json.head.vars || [];
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const v of vars) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = t.createTBody();
    for (const binding of json.results.bindings) {
      const row = body.insertRow();
      for (const v of vars) {
        const td = row.insertCell();
        const term = binding[v];
        td.textContent = cell(term);
        if (term && term.type === "uri") td.className = "iri";
      }
    }
    return t;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    results.replaceChildren();
    status.textContent = "running…";
    const started = performance.now();
    try {
      const response = await fetch(form.action, {
        method: "POST",
        headers: { "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
        body: new URLSearchParams({ query: area.value }),
      });
      const elapsed = Math.round(performance.now() - started);
      const type = response.headers.get("Content-Type") || "";
      const text = await response.text();
      if (!response.ok) {
        status.textContent = "HTTP " + response.status + " (" + elapsed + " ms)";
        const pre = document.createElement("pre");
        pre.className = "error";
        pre.textContent = text;
        results.appendChild(pre);
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
          const p = document.createElement("p");
          p.textContent = "ASK: " + json.boolean;
          results.appendChild(p);
        } else {
          results.appendChild(table(json));
        }
      } else {
        const pre = document.createElement("pre");
        pre.textContent = text;
        results.appendChild(pre);
      }
    } catch (err) {
      status.textContent = "request failed: " + err;
    }
  });

  // a link to the page with ?query=... fills the editor and runs the query (shareable queries)
  const shared = new URLSearchParams(window.location.search).get("query");
  if (shared !== null) {
    area.value = shared;
    form.requestSubmit();
  }
})();
