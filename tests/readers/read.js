// Load a nakg export with its JavaScript reader and print what the reader saw, as JSON.
// Usage: node tests/readers/read.js <graphology|gexf|graphml|cyjs|jsonld> <file> [json-ld-1.1|json-ld-1.0]
"use strict";
const fs = require("fs");
const [fmt, file, processingMode = "json-ld-1.1"] = process.argv.slice(2);
const text = fs.readFileSync(file, "utf8");
const version = (pkg) => JSON.parse(fs.readFileSync(require("path").join(__dirname, "node_modules", pkg, "package.json"), "utf8")).version;

function types(items) {
  const seen = {};
  for (const attrs of items) {
    for (const [k, v] of Object.entries(attrs)) {
      (seen[k] = seen[k] || new Set()).add(typeof v);
    }
  }
  return Object.fromEntries(Object.entries(seen).map(([k, s]) => [k, [...s].sort()]));
}

function fromGraphology(graph) {
  const nodes = [], edges = [];
  graph.forEachNode((key, attrs) => nodes.push(attrs));
  graph.forEachEdge((key, attrs) => edges.push(attrs));
  return {
    reader: fmt === "graphology" ? "graphology" : "graphology-" + fmt,
    version: version(fmt === "graphology" ? "graphology" : "graphology-" + fmt), graphology: version("graphology"),
    type: graph.type, multi: graph.multi,
    nodes: graph.order, edges: graph.size,
    node_attributes: types(nodes), edge_attributes: types(edges),
    labels: Object.fromEntries(graph.mapNodes((key, attrs) => [key, attrs.label])),
  };
}

async function fromJsonld(doc) {
  // jsonld.js as an application calls it: expand, then toRDF to N-Quads. The export's context is
  // inline; a document loader that refuses every URL proves nothing is fetched.
  const jsonld = require("jsonld");
  const documentLoader = async (url) => { throw new Error("jsonld.js tried to fetch " + url); };
  const expanded = await jsonld.expand(doc, { documentLoader, processingMode });
  const nquads = await jsonld.toRDF(doc, { format: "application/n-quads", documentLoader, processingMode });
  const lines = nquads.split("\n").filter((l) => l.length > 0);
  const subjects = new Set(lines.map((l) => l.slice(0, l.indexOf(" "))));
  return {
    reader: "jsonld", version: version("jsonld"), processingMode,
    expanded_nodes: expanded.length, triples: lines.length, subjects: subjects.size,
    doubles: lines.filter((l) => l.includes("^^<http://www.w3.org/2001/XMLSchema#double>")).length,
    integers: lines.filter((l) => l.includes("^^<http://www.w3.org/2001/XMLSchema#integer>")).length,
    nquads,
  };
}

async function main() {
  let out;
  if (fmt === "jsonld") {
    out = await fromJsonld(JSON.parse(text));
  } else if (fmt === "graphology") {
    const Graph = require("graphology");
    out = fromGraphology(Graph.from(JSON.parse(text)));
  } else if (fmt === "gexf") {
    const Graph = require("graphology");
    const gexf = require("graphology-gexf");
    out = fromGraphology(gexf.parse(Graph, text, { allowUndeclaredAttributes: false }));
  } else if (fmt === "graphml") {
    const Graph = require("graphology");
    const graphml = require("graphology-graphml");
    out = fromGraphology(graphml.parse(Graph, text));
  } else if (fmt === "cyjs") {
    const cytoscape = require("cytoscape");
    const doc = JSON.parse(text);
    const cy = cytoscape({ headless: true, styleEnabled: true, elements: doc.elements, style: doc.style, layout: doc.layout });
    const selected = cy.nodes().filter((n) => cy.$("#" + n.id()).length === 1).length;
    const positioned = cy.nodes().filter((n) => Number.isFinite(n.position("x")) && (n.position("x") !== 0 || n.position("y") !== 0)).length;
    out = {
      reader: "cytoscape", version: version("cytoscape"),
      nodes: cy.nodes().length, edges: cy.edges().length,
      node_attributes: types(cy.nodes().map((n) => n.data())), edge_attributes: types(cy.edges().map((e) => e.data())),
      selectable_by_id: selected, positioned,
      styled_labels: cy.nodes().filter((n) => n.style("label") === n.data("label") && n.data("label") !== "").length,
      style_rules: cy.style().json().length,
      labels: Object.fromEntries(cy.nodes().map((n) => [n.data("iri"), n.data("label")])),
    };
  } else {
    throw new Error("unknown format " + fmt);
  }
  process.stdout.write(JSON.stringify(out), () => process.exit(0));  // cytoscape keeps a timer alive
}

main().catch((err) => { console.error(err && err.stack || String(err)); process.exit(1); });
