// A work order's map: its site and the service areas of the suggested teams (rank 1 = best), with OpenLayers.
(function () {
  "use strict";
  const element = document.getElementById("map");
  const TEAM_COLORS = ["#2ca02c", "#1f77b4", "#9467bd", "#8c564b", "#7f7f7f"];

  function teamStyle(feature) {
    const color = TEAM_COLORS[Math.min(feature.get("rank"), TEAM_COLORS.length) - 1];
    return new ol.style.Style({
      stroke: new ol.style.Stroke({color, width: feature.get("rank") === 1 ? 3 : 1.5}),
      fill: new ol.style.Fill({color: "rgba(0,0,0,0.04)"}),
      text: new ol.style.Text({text: `${feature.get("rank")}. ${feature.get("name")}`, font: "bold 13px sans-serif",
        fill: new ol.style.Fill({color}), stroke: new ol.style.Stroke({color: "#fff", width: 3}), overflow: true}),
    });
  }
  const siteStyle = new ol.style.Style({image: new ol.style.Circle({radius: 7,
    fill: new ol.style.Fill({color: "#d62728"}), stroke: new ol.style.Stroke({color: "#fff", width: 2})})});

  taplineMaps.load(element, (data) => taplineMaps.open(element, data, ["teams", "site"],
                                                      {teams: teamStyle, site: siteStyle}, 17));
})();
