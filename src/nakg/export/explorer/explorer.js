/* nakg offline explorer: canvas rendering, search, filters, details and lineage.
 *
 * The data is read from the JSON element #nakg-data (see
 * nakg.export.explorer.data). Text from the data only ever reaches the page through
 * textContent, element attributes set one by one, or canvas fillText; the page
 * makes no request of any kind. State for tests and tools is mirrored in data-*
 * attributes of <body> and the canvas (node counts, selection, load time).
 */
"use strict";
(function () {
  const started = performance.now();
  const DATA = JSON.parse(document.getElementById("nakg-data").textContent);
  const nodes = DATA.nodes, edges = DATA.edges, types = DATA.types, groups = DATA.groups;
  const relations = DATA.relations, props = DATA.props, families = DATA.families;
  const N = nodes.length, E = edges.length;

  const $ = (id) => document.getElementById(id);
  const canvas = $("graph"), ctx = canvas.getContext("2d");
  const searchInput = $("search"), resultsList = $("results"), details = $("details");
  const familySelect = $("family"), secondaryBox = $("show-secondary"), statusLine = $("status");

  // ---- indices ---------------------------------------------------------------
  const propIndex = new Map(props.map((p, i) => [p.name, i]));
  const relIndex = new Map(relations.map((r, i) => [r.name, i]));
  const idIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const outEdges = [], inEdges = [];
  for (let i = 0; i < N; i++) { outEdges.push([]); inEdges.push([]); }
  edges.forEach((e, k) => { outEdges[e[0]].push(k); inEdges[e[1]].push(k); });
  const isSecondary = relations.map((r) => r.secondary);
  const LINEAGE_RELATIONS = new Set(["doping", "derivation", "derivedFrom"]);
  const isLineageRel = relations.map((r) => LINEAGE_RELATIONS.has(r.name));
  const radius = new Float32Array(N), color = [], groupOf = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    const degree = outEdges[i].length + inEdges[i].length;
    radius[i] = 3 + 1.5 * Math.log2(1 + degree);
    groupOf[i] = types[nodes[i].type].group;
    color.push(groups[groupOf[i]].color);
  }
  const drawOrder = Array.from({ length: N }, (_, i) => i).sort((a, b) => groupOf[a] - groupOf[b] || radius[a] - radius[b]);
  const lineageParents = [], lineageChildren = [];
  for (let i = 0; i < N; i++) { lineageParents.push([]); lineageChildren.push([]); }
  DATA.lineage.forEach((row, k) => { lineageChildren[row[0]].push(k); lineageParents[row[1]].push(k); });

  function facts(i, name) {
    const p = propIndex.get(name), out = [];
    if (p === undefined) return out;
    for (const f of nodes[i].facts) if (f[0] === p) out.push(f[1]);
    return out;
  }
  function fact(i, name) { const v = facts(i, name); return v.length ? v.join("; ") : ""; }
  function relName(k) { return relations[edges[k][2]].name; }
  function typeLabel(i) { return types[nodes[i].type].label; }


  // ---- the resolver's rules (nakg.resolve), on the index nakg.export.explorer.search computed ----------
  // One spelling rule (DATA.search.rule): NFKC, sub-/superscript digits and signs as ASCII, Unicode case
  // folding (toLowerCase plus the table of characters whose folding differs, ß → ss), white space removed.
  const IX = DATA.search || null;
  const SUB_FROM = "₀₁₂₃₄₅₆₇₈₉⁰¹²³⁴⁵⁶⁷⁸⁹₊₋⁺⁻", SUB_TO = "01234567890123456789+-+-";
  const SPACE = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";  // str.isspace
  const SPACES = new RegExp("[" + SPACE + "]+", "g"), EDGES = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
  const LOOSE = new RegExp("[" + SPACE + "_\\-]+", "g");
  const FOLD = new Map(IX ? IX.casefold.split("\n").filter((l) => l).map((l) => l.split("\t")) : []);
  function subscripts(text) {
    let out = "";
    for (const c of String(text)) { const k = SUB_FROM.indexOf(c); out += k >= 0 ? SUB_TO[k] : c; }
    return out;
  }
  function casefold(text) {
    let out = "";
    for (const c of text) out += FOLD.has(c) ? FOLD.get(c) : c.toLowerCase();
    return out;
  }
  function normalize(text) { return casefold(subscripts(text).normalize("NFKC")).replace(SPACES, ""); }
  function keyForm(text) { return casefold(subscripts(text).normalize("NFKC")).replace(EDGES, "").replace(LOOSE, "_"); }
  function strip(text) { return String(text).replace(EDGES, ""); }
  function expand(text) {  // resolve._expand: a full IRI or a CURIE of a known prefix, else null
    let t = strip(text);
    if (t.startsWith("<") && t.endsWith(">")) t = t.slice(1, -1);
    if (/^https?:\/\//.test(t)) return t;
    const at = t.indexOf(":");
    if (at < 0) return null;
    const prefix = t.slice(0, at), local = t.slice(at + 1);
    if (IX && Object.prototype.hasOwnProperty.call(IX.prefixes, prefix) && local && !local.includes("/")) return IX.prefixes[prefix] + local;
    return null;
  }
  // a chemical formula's element amounts (nakg.formula.parse_formula, via resolve._composition), keyed as
  // search._composition_key; null wherever the Python parser raises
  const SYMBOLS = new Set(IX ? IX.elements.map((e) => e[0]) : []);
  function composition(text) {
    const s = subscripts(text).normalize("NFKC").replace(/ /g, "");
    if (!s.replace(SPACES, "")) return null;
    const total = new Map();
    for (const part of s.split("·")) {
      let i = 0;
      const amount = () => {  // null: none; NaN: malformed
        const m = /^(\d+)(?:(\.)(\d*)|(\/)(\d*))?/.exec(part.slice(i));
        if (!m) return null;
        if (m[1].length > 9 || (m[3] || "").length > 9 || (m[5] || "").length > 9) return NaN;
        i += m[0].length;
        if (m[2]) return m[3] ? Number(m[1] + "." + m[3]) : NaN;
        if (m[4]) {
          if (!m[5] || Number(m[5]) === 0 || "./".includes(part[i] || "#")) return NaN;
          return Math.round(Number(m[1]) / Number(m[5]) * 1e6) / 1e6;
        }
        return Number(m[1]);
      };
      const multiplier = /^\d/.test(part) ? amount() : null;
      if (Number.isNaN(multiplier)) return null;
      if (multiplier !== null && i < part.length && !/[A-Z([{]/.test(part[i])) return null;
      const stack = [["", new Map()]];
      while (i < part.length) {
        const c = part[i];
        if (/[A-Z]/.test(c)) {
          let symbol = c;
          i++;
          if (/[a-z]/.test(part[i] || "")) symbol += part[i++];
          if (!SYMBOLS.has(symbol)) return null;
          const n = amount();
          if (Number.isNaN(n)) return null;
          const counts = stack[stack.length - 1][1];
          counts.set(symbol, (counts.get(symbol) || 0) + (n === null ? 1 : n));
        } else if ("([{".includes(c)) {
          stack.push([{ "(": ")", "[": "]", "{": "}" }[c], new Map()]); i++;
        } else if (")]}".includes(c)) {
          if (stack.length === 1 || c !== stack[stack.length - 1][0] || !stack[stack.length - 1][1].size) return null;
          const inner = stack.pop()[1];
          i++;
          const n = amount();
          if (Number.isNaN(n)) return null;
          const counts = stack[stack.length - 1][1];
          for (const [el, m] of inner) counts.set(el, (counts.get(el) || 0) + m * (n === null ? 1 : n));
        } else {
          return null;
        }
      }
      if (stack.length > 1 || !stack[0][1].size) return null;
      for (const [el, n] of stack[0][1]) total.set(el, (total.get(el) || 0) + n * (multiplier === null ? 1 : multiplier));
    }
    for (const v of total.values()) if (!(v > 0)) return null;
    return [...total.keys()].sort().map((el) => el + ":" + (Math.round(total.get(el) * 1e6) / 1e6).toFixed(6)).join(",");
  }
  // difflib.SequenceMatcher(None, a, b).ratio() for short strings (no junk), on code points
  function ratio(a, b) {
    a = Array.from(a); b = Array.from(b);
    const b2j = new Map();
    b.forEach((c, j) => { if (!b2j.has(c)) b2j.set(c, []); b2j.get(c).push(j); });
    const longest = (alo, ahi, blo, bhi) => {
      let besti = alo, bestj = blo, bestsize = 0, j2len = new Map();
      for (let i = alo; i < ahi; i++) {
        const next = new Map();
        for (const j of b2j.get(a[i]) || []) {
          if (j < blo) continue;
          if (j >= bhi) break;
          const k = (j2len.get(j - 1) || 0) + 1;
          next.set(j, k);
          if (k > bestsize) { besti = i - k + 1; bestj = j - k + 1; bestsize = k; }
        }
        j2len = next;
      }
      return [besti, bestj, bestsize];
    };
    let matched = 0;
    const queue = [[0, a.length, 0, b.length]];
    while (queue.length) {
      const [alo, ahi, blo, bhi] = queue.pop();
      const [i, j, k] = longest(alo, ahi, blo, bhi);
      if (!k) continue;
      matched += k;
      if (alo < i && blo < j) queue.push([alo, i, blo, j]);
      if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi]);
    }
    return a.length + b.length ? 2 * matched / (a.length + b.length) : 1;
  }
  function suggest(value, options, n) {  // resolve._suggest: options are [normalised form, shown] pairs
    let probe = normalize(value);
    if (probe.includes(":") && !probe.startsWith("http")) probe = probe.slice(probe.indexOf(":") + 1);
    const scored = [];
    for (const [k] of options) { const r = ratio(k, probe); if (r >= 0.55) scored.push([r, k]); }
    scored.sort((x, y) => y[0] - x[0] || (x[1] < y[1] ? 1 : x[1] > y[1] ? -1 : 0));
    const close = scored.slice(0, 3 * n).map((s) => s[1]);
    const len = (t) => Array.from(t).length;
    for (const [k] of options) {
      if (len(probe) >= 3 && len(k) >= 3 && (k.includes(probe) || probe.includes(k)) && !close.includes(k)) close.push(k);
    }
    const shown = new Map(options), out = [];
    for (const k of close) if (!out.includes(shown.get(k))) out.push(shown.get(k));
    return out.slice(0, n);
  }
  // what the typed text names, kind by kind: {material, family, element}, each null or {label, members: [[m, vias]]}
  function resolveMaterials(raw) {
    const probe = normalize(raw);
    if (!probe) return null;
    const iri = expand(raw);
    if (iri && iri.startsWith("https://w3id.org/nakg/resource/material/")) {
      const m = IX.ids[iri.slice("https://w3id.org/nakg/resource/material/".length)];
      if (m !== undefined && "https://w3id.org/nakg/resource/material/" + IX.materials[m][0] === iri) return [m];
    }
    const exact = IX.ids[strip(raw)];
    if (exact !== undefined && Object.prototype.hasOwnProperty.call(IX.ids, strip(raw))) return [exact];
    if (Object.prototype.hasOwnProperty.call(IX.keys, probe)) return IX.keys[probe];
    const c = composition(raw);
    if (c && Object.prototype.hasOwnProperty.call(IX.compositions, c)) return IX.compositions[c];
    return null;
  }
  function resolveFamily(raw) {
    const iri = expand(raw);
    if (iri !== null) return IX.families.find((f) => f.iri === iri) || null;
    const text = strip(raw), probe = normalize(text), loose = keyForm(text);
    return IX.families.find((f) => f.key === text) ||
      IX.families.find((f) => keyForm(f.key) === loose || normalize(f.label) === probe) || null;
  }
  function resolveElement(raw) {
    const text = strip(raw), probe = normalize(text), iri = expand(text);
    return IX.elements.find((e) => e[0] === text) ||
      IX.elements.find((e) => probe === casefold(e[0]) || probe === casefold(e[1]) ||
        iri === "https://w3id.org/nakg/resource/element/" + e[0]) || null;
  }
  function resolveAll(raw) {
    const out = { text: raw, material: null, family: null, element: null, suggestions: [] };
    if (!IX || !normalize(raw)) return out;
    const ms = resolveMaterials(raw);
    if (ms) out.material = { label: "material", members: ms.map((m) => [m, null]) };
    const f = resolveFamily(raw);
    if (f) out.family = { label: "family " + f.label + " (key " + f.key + ", subfamilies included)", key: f.key, members: f.members.map((m) => [m, null]) };
    const e = resolveElement(raw);
    if (e) out.element = { label: "element " + e[0] + " (" + e[1] + ")", members: e[2] };
    if (!out.material && !out.family && !out.element) {
      const probe = normalize(raw), best = [];
      for (const kind of ["material", "family", "element"]) {
        const s = suggest(raw, IX.options[kind], 3);
        if (s.length) best.push([Math.max(...IX.options[kind].map(([k]) => ratio(k, probe))), kind, s]);
      }
      best.sort((x, y) => y[0] - x[0]);  // the kind with the closest name first
      out.suggestions = best.map((b) => [b[1], b[2]]);
    }
    return out;
  }
  window.nakgExplorer = { normalize, keyForm, composition, ratio, suggest: (v, kind) => suggest(v, IX.options[kind], 3), resolve: resolveAll };
  const searchKeys = nodes.map((n, i) => {
    const keys = [n.label].concat(facts(i, "formula"), facts(i, "altLabel"), facts(i, "recordId"), facts(i, "cellNotation"));
    return keys.map((k) => normalize(k));
  });

  // ---- state -----------------------------------------------------------------
  const view = { x: 0, y: 0, k: 1 };
  const visible = new Uint8Array(N).fill(1);
  const highlighted = new Uint8Array(N);
  const inLineage = new Uint8Array(N);
  const typeOn = new Uint8Array(types.length).fill(1);
  const clusterTop = new Float64Array(DATA.clusters.length);  // top of each cluster's visible nodes (world y)
  let selected = -1, hover = -1, lineageOn = false, dirty = true, width = 0, height = 0;
  const dpr = Math.max(1, window.devicePixelRatio || 1);

  // ---- filters ----------------------------------------------------------------
  // a family option is a family of the ontology with its subfamilies (as the family:<key> view): the
  // indices into DATA.families (the labels the view's nodes carry) it covers
  const familyOptions = [];
  if (IX) {
    const byLabel = new Map(families.map((name, f) => [name, f]));
    for (const f of IX.families.slice().sort((a, b) => a.path.join("/").localeCompare(b.path.join("/")))) {
      const covered = f.labels.filter((l) => byLabel.has(l)).map((l) => byLabel.get(l));
      if (covered.length) familyOptions.push({ name: "\u2003".repeat(f.path.length - 1) + f.label, key: f.key, covered: new Set(covered) });
    }
  } else {
    families.forEach((name, f) => familyOptions.push({ name, key: name, covered: new Set([f]) }));
  }
  function computeVisible() {
    const fam = familySelect.value === "" ? null : familyOptions[Number(familySelect.value)].covered;
    let core = null;
    if (fam) {
      core = new Uint8Array(N);
      for (let i = 0; i < N; i++) if (fam.has(nodes[i].family)) core[i] = 1;
    }
    const inFamily = core ? Uint8Array.from(core) : null;
    if (core) {
      for (let i = 0; i < N; i++) {
        if (!core[i]) continue;
        for (const k of outEdges[i]) inFamily[edges[k][1]] = 1;
        for (const k of inEdges[i]) inFamily[edges[k][0]] = 1;
      }
    }
    let count = 0;
    clusterTop.fill(Infinity);
    for (let i = 0; i < N; i++) {
      visible[i] = typeOn[nodes[i].type] && (!inFamily || inFamily[i]) ? 1 : 0;
      count += visible[i];
      if (visible[i]) clusterTop[nodes[i].cluster] = Math.min(clusterTop[nodes[i].cluster], nodes[i].y - radius[i]);
    }
    document.body.dataset.visibleCount = String(count);
    statusLine.textContent = "showing " + count + " of " + N + " nodes";
    dirty = true;
  }

  function buildFilters() {
    const all = document.createElement("option");
    all.value = ""; all.textContent = "All families";
    familySelect.appendChild(all);
    familyOptions.forEach((o, f) => {
      const option = document.createElement("option");
      let count = 0;
      for (let i = 0; i < N; i++) if (o.covered.has(nodes[i].family)) count++;
      option.value = String(f);
      option.dataset.family = o.key;
      option.textContent = o.name + " (" + count + ")";
      familySelect.appendChild(option);
    });
    familySelect.addEventListener("change", () => { computeVisible(); fit(); });
    const typeCounts = new Int32Array(types.length);
    for (const n of nodes) typeCounts[n.type]++;
    const box = $("types");
    groups.forEach((g, gi) => {
      const members = [];
      types.forEach((t, ti) => { if (t.group === gi) members.push(ti); });
      if (!members.length) return;
      members.sort((a, b) => typeCounts[b] - typeCounts[a] || types[a].label.localeCompare(types[b].label));
      const block = document.createElement("details");
      block.dataset.group = g.name;
      const summary = document.createElement("summary");
      const groupBox = document.createElement("input");
      groupBox.type = "checkbox"; groupBox.checked = true;
      groupBox.setAttribute("aria-label", "show " + g.name);
      groupBox.dataset.group = g.name;
      const swatch = document.createElement("span");
      swatch.className = "swatch"; swatch.style.background = g.color;
      const name = document.createElement("span");
      name.textContent = g.name + " ";
      const count = document.createElement("span");
      count.className = "count";
      count.textContent = String(members.reduce((s, ti) => s + typeCounts[ti], 0));
      summary.append(groupBox, swatch, name, count);
      block.appendChild(summary);
      const boxes = members.map((ti) => {
        const label = document.createElement("label");
        label.className = "check type";
        const input = document.createElement("input");
        input.type = "checkbox"; input.checked = true; input.dataset.type = types[ti].name;
        const text = document.createElement("span");
        text.textContent = types[ti].label + " ";
        const c = document.createElement("span");
        c.className = "count"; c.textContent = String(typeCounts[ti]);
        label.append(input, text, c);
        block.appendChild(label);
        input.addEventListener("change", () => {
          typeOn[ti] = input.checked ? 1 : 0;
          const on = boxes.filter((b) => b.checked).length;
          groupBox.checked = on === boxes.length; groupBox.indeterminate = on > 0 && on < boxes.length;
          computeVisible();
        });
        return input;
      });
      groupBox.addEventListener("click", (ev) => ev.stopPropagation());
      groupBox.addEventListener("change", () => {
        for (const b of boxes) { b.checked = groupBox.checked; typeOn[types.findIndex((t) => t.name === b.dataset.type)] = b.checked ? 1 : 0; }
        groupBox.indeterminate = false;
        computeVisible();
      });
      box.appendChild(block);
    });
    secondaryBox.addEventListener("change", () => { dirty = true; });
    $("fit").addEventListener("click", () => fit());
    $("reset").addEventListener("click", () => {
      familySelect.value = "";
      for (const input of box.querySelectorAll("input")) { input.checked = true; input.indeterminate = false; }
      typeOn.fill(1);
      computeVisible(); fit();
    });
  }

  // ---- view ---------------------------------------------------------------------
  function resize() {
    const rect = canvas.getBoundingClientRect();
    width = Math.max(1, rect.width); height = Math.max(1, rect.height);
    canvas.width = Math.round(width * dpr); canvas.height = Math.round(height * dpr);
    dirty = true;
  }
  function fit() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let i = 0; i < N; i++) {
      if (!visible[i]) continue;
      const n = nodes[i], r = radius[i];
      x0 = Math.min(x0, n.x - r); y0 = Math.min(y0, n.y - r); x1 = Math.max(x1, n.x + r); y1 = Math.max(y1, n.y + r);
    }
    if (x0 === Infinity) { x0 = 0; y0 = 0; x1 = 1; y1 = 1; }
    const pad = 24, top = 44;  // room above for cluster titles and the status line
    view.k = Math.min((width - 2 * pad) / Math.max(1, x1 - x0), (height - pad - top) / Math.max(1, y1 - y0));
    view.x = (width - (x0 + x1) * view.k) / 2;
    view.y = top + (height - pad - top - (y1 - y0) * view.k) / 2 - y0 * view.k;
    dirty = true;
  }
  function zoomAt(sx, sy, factor) {
    const k = Math.min(40, Math.max(0.02, view.k * factor));
    view.x = sx - (sx - view.x) * (k / view.k);
    view.y = sy - (sy - view.y) * (k / view.k);
    view.k = k; dirty = true;
  }
  function centreOn(i) {
    view.k = Math.max(view.k, 1.4);
    view.x = width / 2 - nodes[i].x * view.k;
    view.y = height / 2 - nodes[i].y * view.k;
    dirty = true;
  }
  const shown = (i) => visible[i] === 1 || i === selected;

  // ---- drawing --------------------------------------------------------------------
  function draw() {
    const began = performance.now();
    dirty = false;
    const k = view.k, ox = view.x, oy = view.y, w = width, h = height;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    const focus = selected >= 0 || lineageOn;
    const showSecondary = secondaryBox.checked;
    // cluster titles under everything
    ctx.font = "600 13px system-ui, sans-serif"; ctx.textAlign = "center"; ctx.textBaseline = "bottom";
    ctx.fillStyle = "rgba(90, 90, 110, 0.55)";
    for (let ci = 0; ci < DATA.clusters.length; ci++) {
      const c = DATA.clusters[ci];
      if (clusterTop[ci] === Infinity) continue;
      const sx = c.x * k + ox, sy = clusterTop[ci] * k + oy - 6;
      if (sx < -200 || sx > w + 200 || sy < -20 || sy > h + 40) continue;
      const room = Math.max(40, 2 * c.r * k + 30);
      let text = c.name;
      while (text.length > 3 && ctx.measureText(text).width > room) text = text.slice(0, -2) + "…";
      ctx.fillText(text, sx, sy);
    }
    // edges: one batched path for the other relations, one (stronger, orange) for lineage relations
    let drawnEdges = 0, drawnLineageEdges = 0;
    const plain = new Path2D(), lineagePath = new Path2D();
    for (let e = 0; e < E; e++) {
      const edge = edges[e];
      if (!showSecondary && isSecondary[edge[2]]) continue;
      const a = edge[0], b = edge[1];
      if (!shown(a) || !shown(b)) continue;
      const ax = nodes[a].x * k + ox, ay = nodes[a].y * k + oy, bx = nodes[b].x * k + ox, by = nodes[b].y * k + oy;
      if ((ax < 0 && bx < 0) || (ax > w && bx > w) || (ay < 0 && by < 0) || (ay > h && by > h)) continue;
      const path = isLineageRel[edge[2]] ? lineagePath : plain;
      path.moveTo(ax, ay); path.lineTo(bx, by); drawnEdges++;
      if (isLineageRel[edge[2]]) drawnLineageEdges++;
    }
    ctx.lineWidth = 1;
    ctx.strokeStyle = focus ? "rgba(110, 110, 130, 0.06)" : "rgba(110, 110, 130, 0.2)";
    ctx.stroke(plain);
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = focus ? "rgba(217, 72, 15, 0.15)" : "rgba(217, 72, 15, 0.6)";
    ctx.stroke(lineagePath);
    if (selected >= 0) {
      ctx.strokeStyle = "rgba(31, 95, 191, 0.75)"; ctx.lineWidth = 1.4;
      ctx.beginPath();
      for (const e of outEdges[selected].concat(inEdges[selected])) {
        const a = edges[e][0], b = edges[e][1];
        if (!shown(a) || !shown(b)) continue;
        ctx.moveTo(nodes[a].x * k + ox, nodes[a].y * k + oy); ctx.lineTo(nodes[b].x * k + ox, nodes[b].y * k + oy);
      }
      ctx.stroke();
    }
    if (lineageOn) drawLineage(k, ox, oy);
    // nodes, batched by colour; dimmed first when something is in focus
    let drawnNodes = 0;
    const minR = 1.5;
    for (const pass of focus ? [0, 1] : [1]) {
      let current = null;
      ctx.globalAlpha = pass === 0 ? 0.18 : 1;
      ctx.beginPath();
      for (const i of drawOrder) {
        if (!shown(i)) continue;
        const hot = highlighted[i] || inLineage[i];
        if (focus && (pass === 0) === Boolean(hot)) continue;
        const sx = nodes[i].x * k + ox, sy = nodes[i].y * k + oy, r = Math.max(minR, radius[i] * k);
        if (sx + r < 0 || sx - r > w || sy + r < 0 || sy - r > h) continue;
        if (color[i] !== current) { ctx.fill(); ctx.beginPath(); current = color[i]; ctx.fillStyle = current; }
        ctx.moveTo(sx + r, sy); ctx.arc(sx, sy, r, 0, 2 * Math.PI);
        drawnNodes++;
      }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    for (const i of [selected, hover]) {
      if (i < 0 || !shown(i)) continue;
      ctx.beginPath();
      ctx.arc(nodes[i].x * k + ox, nodes[i].y * k + oy, Math.max(minR, radius[i] * k) + 3, 0, 2 * Math.PI);
      ctx.lineWidth = 2; ctx.strokeStyle = i === selected ? "#1d1d27" : "rgba(29, 29, 39, 0.5)"; ctx.stroke();
    }
    drawLabels(k, ox, oy, w, h);
    canvas.dataset.drawnNodes = String(drawnNodes);
    canvas.dataset.drawnEdges = String(drawnEdges);
    canvas.dataset.drawnLineageEdges = String(drawnLineageEdges);
    canvas.dataset.zoom = k.toFixed(3);
    canvas.dataset.drawMs = (performance.now() - began).toFixed(1);
  }

  function drawLineage(k, ox, oy) {
    ctx.strokeStyle = "#d9480f"; ctx.fillStyle = "#d9480f"; ctx.lineWidth = 2;
    for (const row of DATA.lineage) {
      const a = row[0], b = row[1];
      if (!inLineage[a] || !inLineage[b]) continue;
      const ax = nodes[a].x * k + ox, ay = nodes[a].y * k + oy, bx = nodes[b].x * k + ox, by = nodes[b].y * k + oy;
      ctx.setLineDash(row[2] === "doping" ? [] : [5, 4]);
      ctx.beginPath(); ctx.moveTo(ax, ay); ctx.lineTo(bx, by); ctx.stroke();
      const len = Math.hypot(bx - ax, by - ay);
      if (len < 12) continue;
      const ux = (bx - ax) / len, uy = (by - ay) / len, mx = (ax + bx) / 2, my = (ay + by) / 2;
      ctx.setLineDash([]);
      ctx.beginPath(); ctx.moveTo(mx + ux * 6, my + uy * 6);
      ctx.lineTo(mx - ux * 4 - uy * 5, my - uy * 4 + ux * 5); ctx.lineTo(mx - ux * 4 + uy * 5, my - uy * 4 - ux * 5);
      ctx.closePath(); ctx.fill();
    }
    ctx.setLineDash([]);
  }

  function drawLabels(k, ox, oy, w, h) {
    const candidates = [];
    const focusSet = selected >= 0 || lineageOn;
    for (let i = 0; i < N; i++) {
      if (!shown(i)) continue;
      const sx = nodes[i].x * k + ox, sy = nodes[i].y * k + oy;
      if (sx < -50 || sx > w + 50 || sy < -20 || sy > h + 20) continue;
      let priority;
      if (i === selected || i === hover) priority = 0;
      else if (inLineage[i]) priority = 1;
      else if (highlighted[i]) priority = 2;
      else if (focusSet) continue;
      else if (groupOf[i] === 0 && k >= 0.9) priority = 3;
      else if (k >= 2.2) priority = 4;
      else continue;
      candidates.push([priority, -radius[i], i, sx, sy]);
    }
    candidates.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
    ctx.font = "12px system-ui, sans-serif"; ctx.textAlign = "left"; ctx.textBaseline = "middle";
    // a label goes right of its node, else left of it; it is drawn only where it overlaps no label already
    // placed (the selected or hovered node's first) and lies inside the canvas
    const cell = 32, grid = new Map(), boxes = [], lh = 14;
    const overlaps = (b) => {
      for (let cx = Math.floor(b[0] / cell); cx <= Math.floor((b[0] + b[2]) / cell); cx++) {
        for (let cy = Math.floor(b[1] / cell); cy <= Math.floor((b[1] + b[3]) / cell); cy++) {
          for (const o of grid.get(cx + ":" + cy) || []) {
            if (b[0] < o[0] + o[2] && o[0] < b[0] + b[2] && b[1] < o[1] + o[3] && o[1] < b[1] + b[3]) return true;
          }
        }
      }
      return false;
    };
    const take = (b) => {
      for (let cx = Math.floor(b[0] / cell); cx <= Math.floor((b[0] + b[2]) / cell); cx++) {
        for (let cy = Math.floor(b[1] / cell); cy <= Math.floor((b[1] + b[3]) / cell); cy++) {
          const key = cx + ":" + cy;
          if (!grid.has(key)) grid.set(key, []);
          grid.get(key).push(b);
        }
      }
      boxes.push(b);
    };
    for (const [priority, , i, sx, sy] of candidates) {
      if (boxes.length >= 400) break;
      let text = nodes[i].label;
      if (text.length > 48) text = text.slice(0, 47) + "…";
      const r = Math.max(1.5, radius[i] * k), tw = ctx.measureText(text).width;
      let box = null;
      for (const x of [sx + r + 3, sx - r - 3 - tw]) {
        const b = [x - 1, sy - lh / 2, tw + 2, lh];
        if (b[0] < 0 || b[0] + b[2] > w || b[1] < 0 || b[1] + b[3] > h) continue;
        if (!overlaps(b)) { box = b; break; }
      }
      if (!box) continue;
      take(box);
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(251, 251, 253, 0.9)"; ctx.strokeText(text, box[0] + 1, sy);
      ctx.fillStyle = priority === 0 ? "#1d1d27" : "#33334a"; ctx.fillText(text, box[0] + 1, sy);
    }
    canvas.dataset.labels = JSON.stringify(boxes.map((b) => b.map((v) => Math.round(v * 10) / 10)));
  }

  function frame() {
    if (dirty) draw();
    if (document.body.dataset.ready !== "true") {
      document.body.dataset.loadMs = String(Math.round(performance.now()));
      document.body.dataset.initMs = String(Math.round(performance.now() - started));
      document.body.dataset.ready = "true";
    }
    requestAnimationFrame(frame);
  }

  // ---- picking and pointer input ---------------------------------------------------------
  function pick(sx, sy) {
    const wx = (sx - view.x) / view.k, wy = (sy - view.y) / view.k;
    let best = -1, bestD = Infinity;
    for (let i = 0; i < N; i++) {
      if (!shown(i)) continue;
      const d = Math.hypot(nodes[i].x - wx, nodes[i].y - wy), reach = Math.max(radius[i], 6 / view.k);
      if (d <= reach && d < bestD) { best = i; bestD = d; }
    }
    return best;
  }
  let drag = null;
  canvas.addEventListener("pointerdown", (ev) => {
    drag = { x: ev.offsetX, y: ev.offsetY, vx: view.x, vy: view.y, moved: false };
    canvas.setPointerCapture(ev.pointerId);
  });
  canvas.addEventListener("pointermove", (ev) => {
    if (drag) {
      const dx = ev.offsetX - drag.x, dy = ev.offsetY - drag.y;
      if (!drag.moved && Math.hypot(dx, dy) > 3) { drag.moved = true; canvas.classList.add("dragging"); }
      if (drag.moved) { view.x = drag.vx + dx; view.y = drag.vy + dy; dirty = true; }
      return;
    }
    const i = pick(ev.offsetX, ev.offsetY);
    if (i !== hover) { hover = i; canvas.classList.toggle("pointer", i >= 0); canvas.title = i >= 0 ? nodes[i].label : ""; dirty = true; }
  });
  canvas.addEventListener("pointerup", (ev) => {
    if (drag && !drag.moved) {
      const i = pick(ev.offsetX, ev.offsetY);
      if (i >= 0) select(i, false); else select(-1, false);
    }
    drag = null; canvas.classList.remove("dragging");
  });
  canvas.addEventListener("pointerleave", () => { if (hover >= 0) { hover = -1; dirty = true; } });
  canvas.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    zoomAt(ev.offsetX, ev.offsetY, Math.exp(-ev.deltaY * (ev.deltaMode === 1 ? 0.05 : 0.0015)));
  }, { passive: false });
  canvas.addEventListener("dblclick", (ev) => { const i = pick(ev.offsetX, ev.offsetY); if (i >= 0) { select(i, true); zoomAt(width / 2, height / 2, 2); } });
  document.addEventListener("keydown", (ev) => {
    const typing = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLSelectElement;
    if (ev.key === "/" && !typing) { ev.preventDefault(); searchInput.focus(); searchInput.select(); return; }
    if (ev.key === "Escape") { hideResults(); if (!typing || ev.target === searchInput) select(-1, false); return; }
    if (typing) return;
    if (ev.key === "+" || ev.key === "=") zoomAt(width / 2, height / 2, 1.3);
    else if (ev.key === "-") zoomAt(width / 2, height / 2, 1 / 1.3);
    else if (ev.key === "0") fit();
  });

  // ---- search: the resolver's answer for each kind, then nodes whose names contain the text ------------
  let results = [], entries = [], active = 0;
  function search(query) {
    const q = normalize(query);
    if (!q) return [];
    const found = [];
    for (let i = 0; i < N; i++) {
      let score = 9;
      for (const key of searchKeys[i]) {
        if (key === q) { score = 0; break; }
        if (key.startsWith(q)) score = Math.min(score, 1);
        else if (key.includes(q)) score = Math.min(score, 2);
      }
      if (score < 9) found.push([score, groupOf[i], nodes[i].label.length, nodes[i].label, i]);
    }
    found.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0));
    return found.slice(0, 40).map((f) => f[4]);
  }
  const KINDS = [["material", "Material"], ["family", "Family"], ["element", "Element"]];
  const SHOWN_PER_ANSWER = 200;
  function unknownMessage(answer) {
    let text = "No material, family or element is named \u201c" + strip(answer.text) + "\u201d.";
    if (answer.suggestions.length) {
      text += " Did you mean " + answer.suggestions.map(([kind, names]) =>
        kind + " " + names.map((n) => "\u2018" + n + "\u2019").join(" or ")).join("; ") + "?";
    }
    return text + " (nakg list materials, families or elements lists them all.)";
  }
  function runSearch(text) {
    const answer = resolveAll(text), listed = new Set();
    entries = []; results = [];
    for (const [kind, Name] of KINDS) {
      delete document.body.dataset["answer" + Name];
      const a = answer[kind];
      if (!a) continue;
      const inView = a.members.filter(([m]) => IX.materials[m][1] >= 0), outside = a.members.length - inView.length;
      entries.push({ head: a.label + ": " + a.members.length + (a.members.length === 1 ? " material" : " materials") +
        (outside ? " (" + outside + " not in this view)" : ""), family: kind === "family" ? a.key : null });
      for (const [m, vias] of inView.slice(0, SHOWN_PER_ANSWER)) {
        const i = IX.materials[m][1];
        if (!listed.has(i)) { listed.add(i); results.push(i); }
        entries.push({ node: i, via: vias ? "via " + vias.join(", ") : "" });
      }
      if (inView.length > SHOWN_PER_ANSWER) entries.push({ head: "\u2026 and " + (inView.length - SHOWN_PER_ANSWER) + " more" });
      document.body.dataset["answer" + Name] = JSON.stringify(a.members.map(([m]) => IX.materials[m][0]).sort());
    }
    const resolved = KINDS.some(([kind]) => answer[kind]);
    if (!resolved && IX) {
      const message = unknownMessage(answer);
      entries.push({ unknown: message });
      document.body.dataset.answerUnknown = message;
    } else {
      delete document.body.dataset.answerUnknown;
    }
    const others = search(text).filter((i) => !listed.has(i));
    if (others.length && entries.length) entries.push({ head: "Other nodes whose name contains \u201c" + strip(text) + "\u201d" });
    for (const i of others) { results.push(i); entries.push({ node: i, via: "" }); }
    if (!entries.length) entries.push({ unknown: "No node matches \u201c" + strip(text) + "\u201d." });
    active = 0;
  }
  function hideResults() { resultsList.hidden = true; }
  function showResults() {
    resultsList.replaceChildren();
    for (const entry of entries) {
      const li = document.createElement("li");
      if (entry.head !== undefined) {
        li.className = "answer"; li.setAttribute("role", "presentation"); li.textContent = entry.head;
        const option = entry.family ? familyOptions.findIndex((o) => o.key === entry.family) : -1;
        if (option >= 0) {  // the family filter, subfamilies included: the same nodes as the family:<key> view
          const show = document.createElement("button");
          show.type = "button"; show.className = "link show-family"; show.textContent = " show on the graph";
          show.addEventListener("click", () => { familySelect.value = String(option); computeVisible(); fit(); hideResults(); });
          li.appendChild(show);
        }
      } else if (entry.unknown !== undefined) {
        li.className = "empty unknown"; li.setAttribute("role", "alert"); li.textContent = entry.unknown;
      } else {
        const i = entry.node;
        li.setAttribute("role", "option");
        if (results[active] === i) li.className = "active";
        const button = document.createElement("button");
        button.type = "button"; button.dataset.node = nodes[i].id;
        const name = document.createElement("span");
        name.textContent = nodes[i].label;
        const kind = document.createElement("span");
        kind.className = "kind";
        kind.textContent = typeLabel(i) + (nodes[i].family >= 0 ? " \u00b7 " + families[nodes[i].family] : "") +
          (entry.via ? " \u00b7 " + entry.via : "");
        button.append(name, kind);
        button.addEventListener("click", () => { select(i, true); hideResults(); });
        li.appendChild(button);
      }
      resultsList.appendChild(li);
    }
    resultsList.hidden = false;
    document.body.dataset.resultCount = String(results.length);
  }
  searchInput.addEventListener("input", () => {
    if (searchInput.value.trim()) { runSearch(searchInput.value); showResults(); } else hideResults();
  });
  searchInput.addEventListener("keydown", (ev) => {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      if (!results.length) return;
      active = (active + (ev.key === "ArrowDown" ? 1 : results.length - 1)) % results.length;
      showResults();
    } else if (ev.key === "Enter" && results.length) {
      select(results[active], true); hideResults();
    }
  });
  searchInput.addEventListener("focus", () => { if (searchInput.value.trim()) showResults(); });
  document.addEventListener("click", (ev) => { if (!$("search-box").contains(ev.target)) hideResults(); });

  // ---- selection, neighbourhood and lineage ---------------------------------------------------
  function lineageSet(i) {
    const seen = new Set([i]);
    for (const [list, end] of [[lineageParents, 0], [lineageChildren, 1]]) {
      const queue = [i];
      while (queue.length) {
        const j = queue.pop();
        for (const k of list[j]) {
          const next = DATA.lineage[k][end];
          if (!seen.has(next)) { seen.add(next); queue.push(next); }
        }
      }
    }
    return seen;
  }
  function setLineage(on) {
    inLineage.fill(0);
    lineageOn = on && selected >= 0;
    if (lineageOn) for (const j of lineageSet(selected)) inLineage[j] = 1;
    let count = 0;
    for (let j = 0; j < N; j++) count += inLineage[j];
    document.body.dataset.lineageCount = String(count);
    dirty = true;
  }
  function select(i, centre) {
    selected = i;
    highlighted.fill(0);
    let count = 0;
    if (i >= 0) {
      highlighted[i] = 1;
      for (const k of outEdges[i]) highlighted[edges[k][1]] = 1;
      for (const k of inEdges[i]) highlighted[edges[k][0]] = 1;
      for (let j = 0; j < N; j++) count += highlighted[j];
      if (centre) centreOn(i);
    }
    setLineage(false);
    document.body.dataset.selected = i >= 0 ? nodes[i].id : "";
    document.body.dataset.highlightedCount = String(count);
    renderDetails(i);
    try { history.replaceState(null, "", i >= 0 ? "#" + encodeURIComponent(nodes[i].id) : "#"); } catch (err) { /* file: URLs may refuse */ }
    dirty = true;
  }

  // ---- details panel (textContent only) ---------------------------------------------------------
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function link(i, text) {
    const b = el("button", "link", text === undefined ? nodes[i].label : text);
    b.type = "button"; b.dataset.node = nodes[i].id; b.title = typeLabel(i);
    b.addEventListener("click", () => select(i, true));
    return b;
  }
  function targets(i, rel, outgoing) {
    const r = relIndex.get(rel), out = [];
    if (r === undefined) return out;
    for (const k of outgoing ? outEdges[i] : inEdges[i]) if (edges[k][2] === r) out.push(edges[k][outgoing ? 1 : 0]);
    return out;
  }
  function refNumber(j) { return Number(fact(j, "referenceNumber")) || 0; }
  function referenceList(refs) {
    const ul = el("ul", "refs");
    for (const j of refs.slice().sort((a, b) => refNumber(a) - refNumber(b) || a - b)) {
      const li = el("li"); li.appendChild(link(j)); ul.appendChild(li);
    }
    return ul;
  }
  function inlineLinks(list) {
    // the separators are drawn by the style sheet (li + li::before), so a wrapped line never starts with a comma
    const ul = el("ul", "inline-links");
    for (const j of list) { const li = el("li"); li.appendChild(link(j)); ul.appendChild(li); }
    return ul;
  }
  function dlRow(dl, term, value) {
    if (value === "" || value === undefined) return;
    dl.appendChild(el("dt", "", term));
    const dd = el("dd");
    if (typeof value === "string") dd.textContent = value; else dd.appendChild(value);
    dl.appendChild(dd);
  }
  function measurementCard(m) {
    const card = el("div", "card");
    card.dataset.node = nodes[m].id;
    card.appendChild(link(m, typeLabel(m)));
    const dl = el("dl");
    dlRow(dl, "value", fact(m, "valueAsWritten"));
    dlRow(dl, "unit", fact(m, "unit"));
    dlRow(dl, "temperature", fact(m, "temperatureAsWritten") || "not stated");
    const q = fact(m, "qualifier");
    if (q && q !== "exact") dlRow(dl, "qualifier", q);
    for (const name of ["uncertaintyAsWritten", "conditions", "basis", "curationNote"]) {
      const p = propIndex.get(name);
      if (p !== undefined) dlRow(dl, props[p].label, fact(m, name));
    }
    const canon = fact(m, "canonicalValue");
    if (canon && fact(m, "canonicalUnitOf") && fact(m, "canonicalUnitOf") !== fact(m, "unit")) dlRow(dl, "in " + fact(m, "canonicalUnitOf"), canon);
    const refs = targets(m, "citesReference", true);
    if (refs.length) dlRow(dl, "references", referenceList(refs));
    const sections = targets(m, "statedInSection", true);
    if (sections.length) dlRow(dl, "review", inlineLinks(sections));
    card.appendChild(dl);
    return card;
  }
  function section(title, body) {
    details.appendChild(el("h3", "", title));
    details.appendChild(body);
  }
  function lineageList(rows, end) {
    const ul = el("ul");
    for (const k of rows) {
      const row = DATA.lineage[k], li = el("li");
      li.appendChild(link(row[end]));
      const how = row[2] === "doping" ? " — " + row[3] + (row[4] ? " (" + row[4].replace(/_/g, " ") + ")" : "") : " — derived from";
      li.appendChild(el("span", "muted", how));
      ul.appendChild(li);
    }
    return ul;
  }
  function renderDetails(i) {
    details.replaceChildren();
    if (i < 0) {
      details.appendChild(el("p", "placeholder", "Search or click a node to see its facts, measurements, references and lineage."));
      return;
    }
    const n = nodes[i];
    details.appendChild(el("h2", "", n.label));
    details.appendChild(el("p", "meta", typeLabel(i) + (n.family >= 0 ? " · " + families[n.family] : "")));
    details.appendChild(el("code", "iri", n.id));
    if (!visible[i]) details.appendChild(el("p", "hidden-note", "Hidden by the current filters; shown while selected."));
    const actions = el("div", "actions");
    const centre = el("button", "", "Centre"); centre.type = "button";
    centre.addEventListener("click", () => centreOn(i));
    actions.appendChild(centre);
    const family = lineageSet(i);
    if (family.size > 1) {
      const toggle = el("button", "", "Highlight lineage (" + family.size + ")");
      toggle.type = "button"; toggle.id = "lineage-toggle";
      toggle.addEventListener("click", () => {
        setLineage(!lineageOn);
        toggle.textContent = (lineageOn ? "Hide lineage (" : "Highlight lineage (") + family.size + ")";
      });
      actions.appendChild(toggle);
    }
    const clear = el("button", "", "Clear"); clear.type = "button";
    clear.addEventListener("click", () => select(-1, false));
    actions.appendChild(clear);
    details.appendChild(actions);

    const measurements = targets(i, "isMeasurementOf", false);
    if (measurements.length) {
      measurements.sort((a, b) => typeLabel(a).localeCompare(typeLabel(b)) ||
        (Number(fact(a, "temperatureK")) || 0) - (Number(fact(b, "temperatureK")) || 0) || a - b);
      const box = el("div"); box.id = "measurements";
      for (const m of measurements) box.appendChild(measurementCard(m));
      section("Measurements (" + measurements.length + ")", box);
    }

    if (n.facts.length) {
      const table = el("table"); table.id = "facts";
      const byProp = new Map();
      for (const [p, v] of n.facts) { if (!byProp.has(p)) byProp.set(p, []); byProp.get(p).push(v); }
      for (const [p, values] of byProp) {
        const tr = el("tr");
        tr.appendChild(el("th", "", props[p].label));
        tr.appendChild(el("td", "", values.join("; ")));
        table.appendChild(tr);
      }
      section("Facts", table);
    }

    const refs = targets(i, "citesReference", true), sections = targets(i, "statedInSection", true);
    if (refs.length || sections.length) {
      const box = el("div"); box.id = "references";
      if (refs.length) box.appendChild(referenceList(refs));
      if (sections.length) { const p = el("p", "", "Review: "); p.appendChild(inlineLinks(sections)); box.appendChild(p); }
      section("References", box);
    }

    if (lineageParents[i].length || lineageChildren[i].length) {
      const box = el("div"); box.id = "lineage";
      if (lineageParents[i].length) { box.appendChild(el("p", "muted", "Derived from")); box.appendChild(lineageList(lineageParents[i], 0)); }
      if (lineageChildren[i].length) { box.appendChild(el("p", "muted", "Derived materials")); box.appendChild(lineageList(lineageChildren[i], 1)); }
      section("Lineage", box);
    }

    const groupsOfLinks = new Map();
    const skip = (k, outgoing) => { const r = relName(k); return outgoing ? (r === "citesReference" || r === "statedInSection") : r === "isMeasurementOf"; };
    for (const [list, outgoing] of [[outEdges[i], true], [inEdges[i], false]]) {
      for (const k of list) {
        if (skip(k, outgoing)) continue;
        const key = (outgoing ? "→ " : "← ") + relations[edges[k][2]].label;
        if (!groupsOfLinks.has(key)) groupsOfLinks.set(key, []);
        groupsOfLinks.get(key).push(edges[k][outgoing ? 1 : 0]);
      }
    }
    if (groupsOfLinks.size) {
      const table = el("table"); table.id = "links";
      for (const [key, list] of [...groupsOfLinks].sort((a, b) => a[0].localeCompare(b[0]))) {
        const tr = el("tr");
        tr.appendChild(el("th", "", key + " (" + list.length + ")"));
        const td = el("td");
        const shownList = list.slice(0, 60);
        td.appendChild(inlineLinks(shownList));
        if (list.length > shownList.length) {
          const more = el("button", "link", " … show all " + list.length); more.type = "button";
          more.addEventListener("click", () => { td.replaceChildren(inlineLinks(list)); });
          td.appendChild(more);
        }
        tr.appendChild(td);
        table.appendChild(tr);
      }
      section("Links", table);
    }
    details.scrollTop = 0;
  }

  // ---- start -------------------------------------------------------------------------------------
  $("stats").textContent = N + " nodes · " + E + " edges · view " + DATA.meta.view + " · " + DATA.meta.generator;
  document.body.dataset.nodeCount = String(N);
  document.body.dataset.edgeCount = String(E);
  canvas.dataset.nodeCount = String(N);
  (function edgeLegend() {
    const box = $("edge-legend");
    const rows = [["plain", "relation between the nodes shown"], ["lineage", "lineage: doping and derivation"],
      ["selected", "edges of the selected node"], ["highlight", "lineage of the selected material (dashed: derivation)"]];
    for (const [kind, text] of rows) {
      const li = el("li"); li.dataset.edge = kind;
      li.appendChild(el("span", "swatch " + kind)); li.appendChild(el("span", "", text));
      box.appendChild(li);
    }
  })();
  buildFilters();
  computeVisible();
  resize();
  fit();
  new ResizeObserver(() => { resize(); if (selected < 0) fit(); }).observe(canvas);
  const initial = decodeURIComponent(location.hash.slice(1));
  if (initial && idIndex.has(initial)) select(idIndex.get(initial), true);
  const asked = new URLSearchParams(location.search).get("q");  // explorer.html?q=NZSP (also /explorer?q=… when served)
  if (asked && asked.trim()) { searchInput.value = asked; runSearch(asked); showResults(); }
  draw();
  requestAnimationFrame(frame);
})();
