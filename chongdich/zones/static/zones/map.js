/* The level map: units as circle markers at their coordinates, coloured by the week's level;
   lockdown areas (point rings as circles, unit areas as outlined units); zone designations as an
   optional layer. Data: JSON from /api/zones/map (officers) or /api/zones/public/map (public).
   Moving the week slider recolours the markers without reloading the page. */
(function () {
  "use strict";
  const cfgNode = document.getElementById("map-config");
  const el = document.getElementById("zone-map");
  if (!cfgNode || !el || !window.L) return;
  const cfg = JSON.parse(cfgNode.textContent);
  const T = cfg.text;
  const RADIUS = { province: 11, district: 9, commune: 7 };
  const RING_STYLE = {
    core: { color: "#b71c1c", fillColor: "#d7191c", fillOpacity: 0.25, weight: 2 },
    buffer: { color: "#e65100", fillColor: "#f07d00", fillOpacity: 0.12, weight: 2, dashArray: "6 4" },
    watch: { color: "#8d6e00", fillColor: "#f2c200", fillOpacity: 0.06, weight: 2, dashArray: "2 6" },
  };
  const AREA_COLOUR = "#4a148c";
  const LABELS_UP_TO = 40;  // name every unit on the map when there are few of them

  const map = L.map(el, { zoomSnap: 0.5, worldCopyJump: false }).setView([16.0, 106.0], 5);
  map.attributionControl.setPrefix("Leaflet");
  if (cfg.tile_url) L.tileLayer(cfg.tile_url, { attribution: cfg.tile_attribution || "", maxZoom: 19 }).addTo(map);
  const zonesLayer = L.layerGroup();
  const unitsLayer = L.layerGroup().addTo(map);
  const areasLayer = L.layerGroup().addTo(map);

  const slider = document.getElementById("week-slider");
  const weekLabel = document.getElementById("week-label");
  const crumbsNode = document.getElementById("map-crumbs");
  const summary = document.getElementById("map-areas");
  const showZones = document.getElementById("show-zones");
  const showAreas = document.getElementById("show-areas");
  const state = { level: cfg.level, parent: cfg.parent, drawn: "" };
  const cache = new Map();
  let markers = {};
  let lastData = null;
  let request = 0;

  function esc(text) {
    const d = document.createElement("div");
    d.textContent = text == null ? "" : String(text);
    return d.innerHTML;
  }

  function weekIndex() { return Number(slider.value); }

  function showWeekLabel() {
    const i = weekIndex();
    weekLabel.textContent = cfg.weeks[i] + " (" + cfg.week_starts[i] + ")";
  }

  function dataUrl() {
    const p = new URLSearchParams({ week: cfg.weeks[weekIndex()], level: state.level });
    if (state.parent) p.set("parent", state.parent);
    return cfg.api + "?" + p.toString();
  }

  function load() {
    const url = dataUrl();
    const mine = ++request;
    el.dataset.state = "loading";
    const got = cache.has(url) ? Promise.resolve(cache.get(url)) :
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then((data) => { cache.set(url, data); return data; });
    got.then((data) => { if (mine === request) render(data); })
      .catch(() => { if (mine === request) { el.dataset.state = "error"; setStatus(T.error); } });
  }

  function setStatus(text) {
    const node = document.getElementById("map-status");
    if (node) node.textContent = text;
  }

  function levelText(u) {
    if (u.level == null) return T.none;
    return T.level + " " + u.level + " · " + (u.source === "decision" ? T.decision : T.computed);
  }

  function popup(u) {
    let html = "<strong>" + esc(u.name) + "</strong><br>" + esc(levelText(u));
    if (u.explanation) html += "<br><small>" + esc(u.explanation) + "</small>";
    if (u.drill) html += '<br><button type="button" class="linklike drill" data-code="' + esc(u.code) +
      '" data-level="' + esc(u.drill) + '">' + esc(T.drill) + "</button>";
    if (cfg.new_area_url && state.level !== "province") {
      html += '<br><a href="' + esc(cfg.new_area_url + "?shape=units&unit=" + encodeURIComponent(u.code)) + '">' +
        esc(T.lock) + "</a>";
    }
    return html;
  }

  function buildMarkers(data) {
    unitsLayer.clearLayers();
    markers = {};
    const radius = RADIUS[data.view.level] || 7;
    const points = [];
    const labelled = data.units.length <= LABELS_UP_TO;
    let missing = 0;
    data.units.forEach((u) => {
      if (u.lat == null || u.lon == null) { missing += 1; return; }
      const m = L.circleMarker([u.lat, u.lon], {
        radius: radius, fillColor: u.colour, fillOpacity: 0.9, color: "#ffffff", weight: 1.5,
        className: "unit-marker u-" + u.code,
      });
      m.bindPopup(() => popup(m.unitData));
      if (labelled) {
        m.bindTooltip(esc(u.name), { permanent: true, direction: "right", offset: [radius, 0], className: "unit-label" });
      } else {
        m.bindTooltip(() => esc(m.unitData.name) + " · " + esc(levelText(m.unitData)));
      }
      m.unitData = u;
      m.addTo(unitsLayer);
      markers[u.code] = m;
      points.push([u.lat, u.lon]);
    });
    if (points.length) {  // room on the right for the names
      map.fitBounds(points, { paddingTopLeft: [24, 24], paddingBottomRight: [labelled ? 110 : 24, 24], maxZoom: 13 });
    }
    el.dataset.missing = String(missing);
  }

  function recolour(data) {
    data.units.forEach((u) => {
      const m = markers[u.code];
      if (!m) return;
      m.unitData = u;
      m.setStyle({ fillColor: u.colour });
      const path = m.getElement && m.getElement();
      if (path) { path.dataset.level = u.level == null ? "" : String(u.level); }
    });
  }

  function countLevels(data) {
    const counts = {};
    data.units.forEach((u) => { const key = u.level == null ? "" : String(u.level); counts[key] = (counts[key] || 0) + 1; });
    document.querySelectorAll("[data-level-count]").forEach((node) => {
      node.textContent = String(counts[node.dataset.levelCount] || 0);
    });
  }

  function drawZones(data) {
    zonesLayer.clearLayers();
    const radius = (RADIUS[data.view.level] || 7) + 4;
    data.zones.forEach((z) => {
      const m = markers[z.code];
      if (!m) return;
      L.circleMarker(m.getLatLng(), {
        radius: z.village ? radius - 1 : radius, color: z.hex, weight: 3, fill: false,
        dashArray: z.village ? "3 3" : null, interactive: false, className: "zone-ring z-" + z.colour,
      }).addTo(zonesLayer);
    });
  }

  function areaText(a) {
    let text = T.lockdown + " · " + a.kind + " · " + a.place + " · " + T.from + " " + a.starts_on + " " +
      (a.ends_on ? T.to + " " + a.ends_on : "(" + T.open + ")");
    if (a.name) text = a.name + " — " + text;
    return text;
  }

  function areaPopup(a) {
    let html = "<strong>" + esc(a.name || T.lockdown) + "</strong><br>" + esc(areaText(a));
    if (a.rings && a.rings.length) {
      html += "<br>" + a.rings.map((r) => esc(r.label + ": " + r.radius_m + " m")).join(" · ");
    }
    if (a.villages && a.villages.length) html += "<br>" + esc(a.villages.map((v) => v.name).join(", "));
    if (a.reason) html += "<br><small>" + esc(a.reason) + "</small>";
    if (a.case_url) html += '<br><a href="' + esc(a.case_url) + '">' + esc(T.case + " " + a.case) + "</a>";
    if (a.url) html += '<br><a href="' + esc(a.url) + '">' + esc(a.name) + " →</a>";
    return html;
  }

  function drawAreas(data) {
    areasLayer.clearLayers();
    const radius = (RADIUS[data.view.level] || 7) + 7;
    data.areas.forEach((a) => {
      if (a.shape === "point") {
        a.rings.slice().reverse().forEach((r) => {
          L.circle([a.lat, a.lon], Object.assign({ radius: r.radius_m, className: "area-ring ring-" + r.ring },
            RING_STYLE[r.ring] || RING_STYLE.core)).bindPopup(areaPopup(a)).addTo(areasLayer);
        });
      }
      if (a.shape !== "point" || data.view.level !== "commune") {  // outline the units it lies in
        a.codes.forEach((code) => {
          const m = markers[code];
          if (!m) return;
          L.circleMarker(m.getLatLng(), {
            radius: radius, color: AREA_COLOUR, weight: 2.5, dashArray: "5 3", fill: false,
            className: "area-unit a-" + code,
          }).bindPopup(areaPopup(a)).addTo(areasLayer);
        });
      }
    });
    if (summary) {
      summary.innerHTML = data.areas.length ? data.areas.map((a) =>
        "<li>" + (a.url ? '<a href="' + esc(a.url) + '">' + esc(areaText(a)) + "</a>" : esc(areaText(a))) + "</li>"
      ).join("") : "";
      const count = document.getElementById("map-area-count");
      if (count) count.textContent = String(data.areas.length);
    }
  }

  function drawCrumbs(data) {
    if (!crumbsNode) return;
    crumbsNode.innerHTML = "";
    data.crumbs.forEach((c, i) => {
      if (i) crumbsNode.append(" › ");
      const last = (c.code || "") === data.view.parent && c.level === data.view.level;
      const b = document.createElement(last ? "strong" : "button");
      b.textContent = c.name;
      if (!last) {
        b.type = "button";
        b.className = "linklike";
        b.addEventListener("click", () => go(c.level, c.code));
      }
      crumbsNode.append(b);
    });
    document.querySelectorAll("[data-view-level]").forEach((b) => {
      b.setAttribute("aria-pressed", b.dataset.viewLevel === data.view.level ? "true" : "false");
    });
  }

  function render(data) {
    lastData = data;
    const key = data.view.level + "/" + data.view.parent;
    if (key !== state.drawn) { buildMarkers(data); state.drawn = key; }
    recolour(data);
    countLevels(data);
    drawZones(data);
    drawAreas(data);
    drawCrumbs(data);
    syncLayers();
    el.dataset.week = data.week;
    el.dataset.state = "ready";
    setStatus("");
  }

  function syncLayers() {
    if (showZones && showZones.checked) zonesLayer.addTo(map); else zonesLayer.remove();
    if (!showAreas || showAreas.checked) areasLayer.addTo(map); else areasLayer.remove();
  }

  function go(level, parent) {
    if (level === "commune" && !parent) return;  // ten thousand communes are not one map
    state.level = level;
    state.parent = parent || "";
    const p = new URLSearchParams(window.location.search);
    p.set("level", state.level);
    if (state.parent) p.set("parent", state.parent); else p.delete("parent");
    window.history.replaceState(null, "", "?" + p.toString());
    load();
  }

  map.on("popupopen", (e) => {
    const button = e.popup.getElement().querySelector("button.drill");
    if (button) button.addEventListener("click", () => { map.closePopup(); go(button.dataset.level, button.dataset.code); });
  });
  slider.addEventListener("input", () => { showWeekLabel(); load(); });
  [["week-prev", -1], ["week-next", 1]].forEach(([id, step]) => {
    const button = document.getElementById(id);
    if (button) button.addEventListener("click", () => {
      const next = Math.min(Math.max(weekIndex() + step, 0), cfg.weeks.length - 1);
      if (next === weekIndex()) return;
      slider.value = String(next);
      showWeekLabel();
      load();
    });
  });
  if (showZones) showZones.addEventListener("change", syncLayers);
  if (showAreas) showAreas.addEventListener("change", syncLayers);
  document.querySelectorAll("[data-view-level]").forEach((b) => {
    b.addEventListener("click", () => {
      const level = b.dataset.viewLevel;
      let parent = state.parent;
      if (level === "province") parent = "";
      else if (level === "district" && lastData) {
        const up = lastData.crumbs.find((c) => c.level === "district" && c.code);
        parent = up ? up.code : parent;
      }
      go(level, parent);
    });
  });
  showWeekLabel();
  load();
})();
