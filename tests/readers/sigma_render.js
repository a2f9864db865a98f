// Draw a graphology JSON export with sigma.js, as a sigma.js application does with the defaults,
// and report what sigma drew. Loaded into a browser page after graphology's and sigma's UMD
// bundles (tests/readers/node_modules/{graphology,sigma,sigma3}/dist), which define the globals
// `graphology` and `Sigma`. Call `nakgSigma(doc, containerId)`; it resolves after two frames with:
//   nodes, edges          graphology's counts after Graph.from(doc)
//   drawn                 nodes with display data, not hidden, whose disc centre is on the canvas
//   width, height         the canvas (container) size in CSS pixels
//   radii                 each drawn node's disc radius in CSS pixels (sigma's scaleSize of its display size)
//   positions             each drawn node's centre in CSS pixels ([x, y])
//   labels                the node labels sigma's label grid chose to draw: [key, x, y, size, text width in px]
//   settings              the sigma settings that decide sizes: itemSizesReference, labelSize, labelFont
"use strict";

window.nakgSigma = async function (doc, containerId) {
  const SigmaClass = Sigma.Sigma || Sigma;
  const graph = graphology.from(doc);
  const container = document.getElementById(containerId);
  const renderer = new SigmaClass(graph, container);
  window.nakgRenderer = renderer;
  await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  const { width, height } = renderer.getDimensions();
  const radii = [], positions = [];
  let drawn = 0;
  graph.forEachNode((key) => {
    const data = renderer.getNodeDisplayData(key);
    if (!data || data.hidden || data.visibility === "hidden") return;
    const { x, y } = renderer.framedGraphToViewport(data);
    if (!(x >= 0 && x <= width && y >= 0 && y <= height)) return;
    drawn += 1;
    radii.push(renderer.scaleSize(data.size));
    positions.push([x, y]);
  });
  const font = renderer.getSetting("labelFont") || "Arial";
  const labelSize = renderer.getSetting("labelSize") || 14;
  const measure = document.createElement("canvas").getContext("2d");
  measure.font = `${labelSize}px ${font}`;
  const labels = [...renderer.getNodeDisplayedLabels()].map((key) => {
    const data = renderer.getNodeDisplayData(key);
    const { x, y } = renderer.framedGraphToViewport(data);
    return [key, x, y, renderer.scaleSize(data.size), measure.measureText(String(data.label)).width];
  });
  return {
    nodes: graph.order, edges: graph.size, drawn, width, height, radii, positions, labels,
    settings: { itemSizesReference: renderer.getSetting("itemSizesReference") || null, labelSize, labelFont: font },
  };
};
