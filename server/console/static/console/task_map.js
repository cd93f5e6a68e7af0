// The task page's map: the layers of /console/tasks/<id>/map.json drawn with OpenLayers (vendored, global `ol`).
// Clicking a vertex pins the comment form to it.
(function () {
  "use strict";
  const element = document.getElementById("map");
  // Bottom to top: areas under lines, lines under points.
  const ORDER = ["green_areas", "constraints", "red_line", "route", "route_outside", "conflicts", "meter",
                 "crossings", "vertices", "comments"];
  const stroke = (color, width, lineDash) => new ol.style.Stroke({color, width, lineDash});
  const fill = (color) => new ol.style.Fill({color});
  const circle = (radius, fillColor, strokeColor) =>
    new ol.style.Circle({radius, fill: fill(fillColor), stroke: stroke(strokeColor, 1.5)});
  const label = (text, color) => new ol.style.Text({text, font: "bold 13px sans-serif", fill: fill(color),
    stroke: stroke("#fff", 3), overflow: true, placement: "line"});
  const CONSTRAINT_COLORS = {river: "#2b7bb9", canal: "#2b7bb9", lake: "#2b7bb9", railway: "#333",
                             urban_rail: "#7a3db8", expressway: "#a0522d", urban_expressway: "#a0522d"};
  const STYLES = {
    red_line: () => new ol.style.Style({stroke: stroke("#d62728", 2.5), fill: fill("rgba(214,39,40,0.06)")}),
    green_areas: () => new ol.style.Style({stroke: stroke("#2ca02c", 1.5), fill: fill("rgba(44,160,44,0.25)")}),
    route: () => new ol.style.Style({stroke: stroke("#1f77b4", 3)}),
    route_outside: (f) => new ol.style.Style({stroke: stroke("#ff7f0e", 6),
      text: label(f.get("outside_length_m").toFixed(2) + " m", "#c25400")}),
    meter: () => new ol.style.Style({image: new ol.style.RegularShape({points: 4, radius: 8, angle: Math.PI / 4,
      fill: fill("#17becf"), stroke: stroke("#045", 1.5)})}),
    constraints: (f) => new ol.style.Style({stroke: stroke(CONSTRAINT_COLORS[f.get("layer")] || "#555",
      f.get("crossed") ? 4 : 2.5, f.get("layer") === "railway" ? [10, 6] : undefined),
      fill: fill("rgba(43,123,185,0.15)"), text: label(f.get("name"), "#333")}),
    crossings: () => new ol.style.Style({image: new ol.style.RegularShape({points: 4, radius: 10, radius2: 0,
      angle: Math.PI / 4, stroke: stroke("#e00", 3)})}),
    vertices: () => new ol.style.Style({image: circle(3.5, "#fff", "#333")}),
    conflicts: (f) => new ol.style.Style({stroke: stroke(f.get("side") === "device" ? "#e377c2" : "#9467bd", 2.5,
      [6, 4])}),
    comments: () => new ol.style.Style({image: circle(7, "#ffdd00", "#8a6d00")}),
  };

  function draw(data) {
    const {map, sources} = taplineMaps.open(element, data, ORDER, STYLES, 19);
    for (const name of ORDER) {
      const count = document.querySelector(`.count[data-layer="${name}"]`);
      if (count) count.textContent = `(${sources[name].getFeatures().length})`;
    }
    map.on("singleclick", (event) => pin(map, sources, event));
  }

  function pin(map, sources, event) {
    const vertex = map.forEachFeatureAtPixel(event.pixel, (feature) => feature,
      {hitTolerance: 6, layerFilter: (layer) => layer.get("name") === "vertices"});
    const input = document.getElementById("comment-vertex");
    if (!vertex || !input) return;
    input.value = vertex.get("at").join(",");
    document.getElementById("comment-utility").value = vertex.get("utility");
    document.getElementById("comment-pin").textContent =
      `📍 ${vertex.get("of")} #${vertex.get("index")} (${vertex.get("at").map((x) => x.toFixed(6)).join(", ")})`;
    const pinned = sources.comments.getFeatureById("pinned") || new ol.Feature();
    pinned.setId("pinned");
    pinned.setGeometry(vertex.getGeometry().clone());
    if (!sources.comments.hasFeature(pinned)) sources.comments.addFeature(pinned);
  }

  taplineMaps.load(element, draw);
})();
