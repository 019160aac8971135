// Read a newsgraph GraphML or GEXF export with graphology, as a second, independent reader.
//
//   node tests/js/read_graph.mjs graphml outputs/graph.graphml
//   node tests/js/read_graph.mjs gexf outputs/graph.gexf
//
// Prints one JSON object: node and edge counts, the attribute names seen, and for GEXF the
// number of nodes with a colour, a size and a time interval (start/end, read from the XML
// because graphology-gexf does not keep them). Exits 1 with a message on any parse error.
import { readFileSync } from "node:fs";
import { DOMParser } from "@xmldom/xmldom";
import graphology from "graphology";
import gexf from "graphology-gexf";
import graphml from "graphology-graphml";

const { MultiGraph } = graphology;

function summary(graph) {
  const nodeAttributes = new Set();
  const edgeAttributes = new Set();
  graph.forEachNode((_, attrs) => Object.keys(attrs).forEach((k) => nodeAttributes.add(k)));
  graph.forEachEdge((_, attrs) => Object.keys(attrs).forEach((k) => edgeAttributes.add(k)));
  const kinds = {};
  graph.forEachNode((_, attrs) => {
    kinds[attrs.kind] = (kinds[attrs.kind] || 0) + 1;
  });
  return {
    nodes: graph.order,
    edges: graph.size,
    kinds,
    nodeAttributes: [...nodeAttributes].sort(),
    edgeAttributes: [...edgeAttributes].sort(),
  };
}

function main() {
  const [format, path] = process.argv.slice(2);
  const text = readFileSync(path, "utf8");
  if (format === "graphml") {
    const graph = graphml.parse(MultiGraph, text);
    return summary(graph);
  }
  if (format === "gexf") {
    const graph = gexf.parse(MultiGraph, text);
    const out = summary(graph);
    const colour = /^rgba?\(\d{1,3},\d{1,3},\d{1,3}(,[0-9.]+)?\)$/;
    out.withColour = graph.filterNodes((_, a) => typeof a.color === "string" && colour.test(a.color)).length;
    out.withSize = graph.filterNodes((_, a) => Number.isFinite(a.size) && a.size > 0).length;
    out.colours = {};
    graph.forEachNode((_, a) => {
      out.colours[a.kind] = a.color;
    });
    const doc = new DOMParser().parseFromString(text, "application/xml");
    const root = doc.documentElement;
    out.namespace = root.namespaceURI;
    out.version = root.getAttribute("version");
    const graphElement = doc.getElementsByTagName("graph")[0];
    out.mode = graphElement.getAttribute("mode");
    out.timeformat = graphElement.getAttribute("timeformat");
    out.intervals = {};
    const nodes = doc.getElementsByTagName("node");
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.hasAttribute("start") || node.hasAttribute("end")) {
        out.intervals[node.getAttribute("id")] = [node.getAttribute("start"), node.getAttribute("end")];
      }
    }
    return out;
  }
  throw new Error(`unknown format ${format} (graphml or gexf)`);
}

try {
  console.log(JSON.stringify(main()));
} catch (error) {
  console.error(`read_graph.mjs: ${error.message}`);
  process.exit(1);
}
