// What every console map shares: fetch its GeoJSON, the basemap (none, or the tenant's tiles), a scale bar,
// the view fitted to the data. Pages add their styled layers; window.taplineMap exposes map and sources.
window.taplineMaps = (function () {
  "use strict";
  const format = new ol.format.GeoJSON({dataProjection: "EPSG:4326", featureProjection: "EPSG:3857"});

  function open(element, data, order, styles, maxZoom) {
    const layers = [];
    if (data.basemap.url) {
      layers.push(new ol.layer.Tile({source: new ol.source.XYZ({url: data.basemap.url, crossOrigin: "anonymous"})}));
    }
    const sources = {};
    for (const name of order) {
      sources[name] = new ol.source.Vector({features: format.readFeatures(data.layers[name])});
      layers.push(new ol.layer.Vector({source: sources[name], style: styles[name], properties: {name}}));
    }
    const map = new ol.Map({target: element, layers, view: new ol.View({center: [0, 0], zoom: 2}),
      controls: ol.control.defaults.defaults().extend([new ol.control.ScaleLine()])});
    if (data.extent) {
      map.getView().fit(ol.proj.transformExtent(data.extent, "EPSG:4326", "EPSG:3857"),
                        {padding: [40, 40, 40, 40], maxZoom});
    }
    map.once("rendercomplete", () => { element.dataset.rendered = "true"; });
    window.taplineMap = {map, sources};
    return window.taplineMap;
  }

  function load(element, draw) {
    fetch(element.dataset.mapUrl, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then((response) => {
        if (!response.ok) throw new Error(`map data: HTTP ${response.status}`);
        return response.json();
      })
      .then(draw);
  }

  return {open, load};
})();
