/* A small map on the lockdown area pages: the communes around as grey dots for orientation;
   on the form, a click places the point (fills latitude and longitude) and the rings follow the
   radii typed; on an area's page, its rings or its communes are drawn. */
(function () {
  "use strict";
  const cfgNode = document.getElementById("pick-config");
  const el = document.getElementById("pick-map");
  if (!cfgNode || !el || !window.L) return;
  const cfg = JSON.parse(cfgNode.textContent);
  const map = L.map(el, { zoomSnap: 0.5 }).setView([16.0, 106.0], 5);
  map.attributionControl.setPrefix("Leaflet");
  if (cfg.tile_url) L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution || "", maxZoom: 19 }).addTo(map);
  const rings = L.layerGroup().addTo(map);
  const STYLE = {
    core: { color: "#b71c1c", fillColor: "#d7191c", fillOpacity: 0.25, weight: 2 },
    buffer: { color: "#e65100", fillColor: "#f07d00", fillOpacity: 0.12, weight: 2, dashArray: "6 4" },
    watch: { color: "#8d6e00", fillColor: "#f2c200", fillOpacity: 0.06, weight: 2, dashArray: "2 6" },
  };
  const field = (name) => document.getElementById("id_" + name);
  let point = cfg.lat != null && cfg.lon != null ? [cfg.lat, cfg.lon] : null;

  function radii() {
    if (cfg.rings) return cfg.rings;
    return ["core", "buffer", "watch"].map((ring) => ({ ring: ring, radius_m: Number((field(ring + "_m") || {}).value) }))
      .filter((r) => r.radius_m > 0);
  }

  function drawRings() {
    rings.clearLayers();
    if (!point) return;
    radii().slice().reverse().forEach((r) => {
      L.circle(point, Object.assign({ radius: r.radius_m, className: "pick-ring ring-" + r.ring }, STYLE[r.ring])).addTo(rings);
    });
    L.circleMarker(point, { radius: 3, color: "#000", weight: 1, fillOpacity: 1 }).addTo(rings);
  }

  fetch(cfg.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then((r) => r.json())
    .then((data) => {
      const codes = new Set(cfg.codes || []);
      const points = [];
      data.units.forEach((u) => {
        if (u.lat == null) return;
        const inside = codes.has(u.code);
        L.circleMarker([u.lat, u.lon], {
          radius: inside ? 8 : 5, color: inside ? "#4a148c" : "#ffffff", weight: inside ? 3 : 1,
          fillColor: inside ? "#7e57c2" : "#9e9e9e", fillOpacity: 0.8, interactive: true,
        }).bindTooltip(u.name).addTo(map);
        if (!codes.size || inside) points.push([u.lat, u.lon]);
      });
      if (point) map.setView(point, 14);
      else if (points.length) map.fitBounds(points, { padding: [20, 20], maxZoom: 13 });
      drawRings();
    })
    .catch(() => { if (point) map.setView(point, 14); drawRings(); });

  if (cfg.mode === "pick") {
    map.on("click", (e) => {
      point = [Number(e.latlng.lat.toFixed(6)), Number(e.latlng.lng.toFixed(6))];
      field("lat").value = point[0];
      field("lon").value = point[1];
      drawRings();
    });
    ["lat", "lon", "core_m", "buffer_m", "watch_m"].forEach((name) => {
      const input = field(name);
      if (input) input.addEventListener("input", () => {
        const lat = Number(field("lat").value), lon = Number(field("lon").value);
        point = field("lat").value && field("lon").value ? [lat, lon] : null;
        drawRings();
      });
    });
  }
})();
