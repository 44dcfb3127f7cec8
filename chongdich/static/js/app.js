/* Chống Dịch: charts (ECharts), the chain graph (Cytoscape.js). No network beyond this site.
   Everything starts from data-* attributes, so content swapped in by htmx starts the same way. */
(function () {
  "use strict";

  var COLORS = {
    local: "#b3361e", imported: "#d99a29", avg: "#1d3557",
    ranks: { F0: "#b3261e", F1: "#e8710a", F2: "#f2c14e", F3: "#8ab4d8", none: "#c7ccd1" },
    heat: ["#dfe9e2", "#f4d58d", "#e07a3f", "#a4161a"],
  };

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function within(root, selector) {
    var found = Array.prototype.slice.call(root.querySelectorAll(selector));
    if (root.matches && root.matches(selector)) found.unshift(root);
    return found;
  }

  function dayMonth(iso) { // "2021-05-02" → "02/05", as the committee writes dates
    var p = String(iso).split("-");
    return p.length === 3 ? p[2] + "/" + p[1] : iso;
  }

  function chart(el) {
    var old = echarts.getInstanceByDom(el);
    if (old) old.dispose();
    return echarts.init(el, null, { renderer: "canvas" });
  }

  function curveChart(el) {
    var data = readJson(el.dataset.source);
    if (!data) return;
    var d = el.dataset;
    var instance = chart(el);
    var long = data.days.length > 90;
    instance.setOption({
      animation: false,
      color: [COLORS.local, COLORS.imported, COLORS.avg],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0, data: [d.labelLocal, d.labelImported, d.labelAvg] },
      grid: { left: 44, right: 16, top: 36, bottom: long ? 64 : 32 },
      xAxis: { type: "category", data: data.days, axisTick: { alignWithLabel: true },
               axisLabel: { formatter: dayMonth } },
      yAxis: { type: "value", minInterval: 1 },
      dataZoom: long ? [{ type: "inside" }, { type: "slider", height: 18, bottom: 8 }] : [],
      series: [
        { name: d.labelLocal, type: "bar", stack: "new", data: data.local, barMaxWidth: 18 },
        { name: d.labelImported, type: "bar", stack: "new", data: data.imported, barMaxWidth: 18 },
        { name: d.labelAvg, type: "line", data: data.avg7, smooth: true, showSymbol: false,
          lineStyle: { width: 2 } },
      ],
    });
  }

  // Communes on a longitude/latitude plane: no tiles, no network. One degree of longitude is
  // shorter than one of latitude by cos(latitude); the axis ranges keep the shapes true.
  function fitRanges(points, el) {
    var lons = points.map(function (p) { return p[0]; });
    var lats = points.map(function (p) { return p[1]; });
    var w = Math.min.apply(null, lons), e = Math.max.apply(null, lons);
    var s = Math.min.apply(null, lats), n = Math.max.apply(null, lats);
    var pad = 0.03;
    var dx = Math.max(e - w, 0.02), dy = Math.max(n - s, 0.02);
    var cx = (w + e) / 2, cy = (s + n) / 2;
    var k = Math.cos(cy * Math.PI / 180);
    var ratio = (el.clientWidth - 40) / Math.max(el.clientHeight - 60, 1);
    if ((dx * k) / dy < ratio) dx = (dy * ratio) / k; else dy = (dx * k) / ratio;
    dx *= 1 + pad * 2; dy *= 1 + pad * 2;
    return { xmin: cx - dx / 2, xmax: cx + dx / 2, ymin: cy - dy / 2, ymax: cy + dy / 2 };
  }

  function mapChart(el) {
    var data = readJson(el.dataset.source);
    if (!data) return;
    var communes = data.communes.filter(function (c) { return c.lat !== null && c.lon !== null; });
    var boxes = data.districts.filter(function (d) { return d.bbox; });
    var corners = communes.map(function (c) { return [c.lon, c.lat]; });
    boxes.forEach(function (d) { corners.push([d.bbox[1], d.bbox[0]], [d.bbox[3], d.bbox[2]]); });
    if (!corners.length) return;
    var r = fitRanges(corners, el);
    var top = Math.max(data.max, 1);
    var label = el.dataset.labelCases;
    var instance = chart(el);
    instance.setOption({
      animation: false,
      tooltip: {
        formatter: function (p) {
          return p.seriesType === "scatter" ? p.data.name + ": <b>" + p.data.value[2] + "</b> " + label
            : p.data.name;
        },
      },
      grid: { left: 8, right: 8, top: 8, bottom: 48 },
      xAxis: { type: "value", min: r.xmin, max: r.xmax, show: false },
      yAxis: { type: "value", min: r.ymin, max: r.ymax, show: false },
      visualMap: {
        type: "continuous", min: 0, max: top, dimension: 2, seriesIndex: 1, calculable: false,
        orient: "horizontal", left: "center", bottom: 4, itemHeight: 120, itemWidth: 10,
        text: [String(top), "0"], inRange: { color: COLORS.heat },
      },
      series: [
        {
          type: "lines", coordinateSystem: "cartesian2d", polyline: true, silent: false, z: 1,
          lineStyle: { color: "#8a96a3", width: 1, type: "dashed", opacity: 0.8 },
          data: boxes.map(function (d) {
            var b = d.bbox; // [south, west, north, east]
            return { name: d.name, coords: [[b[1], b[0]], [b[3], b[0]], [b[3], b[2]], [b[1], b[2]], [b[1], b[0]]] };
          }),
        },
        {
          type: "scatter", z: 2,
          data: communes.map(function (c) {
            return { name: c.name, code: c.code, value: [c.lon, c.lat, c.cases] };
          }),
          symbolSize: function (v) { return v[2] > 0 ? 7 + 22 * Math.sqrt(v[2] / top) : 5; },
          itemStyle: { borderColor: "#ffffff", borderWidth: 0.6, opacity: 0.92 },
          emphasis: { itemStyle: { borderColor: "#1d3557", borderWidth: 1.5 } },
        },
      ],
    });
    if (el.dataset.unitUrl) {
      instance.on("click", function (p) {
        if (p.seriesType === "scatter" && p.data.code) window.location = el.dataset.unitUrl + p.data.code;
      });
    }
  }

  function rankKey(rank) {
    if (rank === null || rank === undefined) return "none";
    return "F" + Math.min(rank, 3);
  }

  function chainGraph(el) {
    if (typeof cytoscape === "undefined") return;
    fetch(el.dataset.graphUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var elements = data.nodes.map(function (n) {
          return { data: { id: "p" + n.id, pid: n.id, rank: rankKey(n.rank), centre: n.centre ? 1 : 0,
            label: (n.rank !== null && n.rank !== undefined ? "F" + n.rank + " · " : "") + n.label + (n.case ? "\n" + n.case : "") } };
        });
        data.edges.forEach(function (e, i) {
          elements.push({ data: { id: "e" + i, source: "p" + e.source, target: "p" + e.target, kind: e.kind } });
        });
        if (el._cy) el._cy.destroy();
        var style = [
          { selector: "node", style: {
            "background-color": COLORS.ranks.none, label: "data(label)", "font-size": 10, color: "#1f2933",
            "text-wrap": "wrap", "text-valign": "bottom", "text-margin-y": 3, width: 22, height: 22,
            "border-width": 1, "border-color": "#ffffff",
            // Big graphs start zoomed out: names appear as the officer zooms in, not as a smudge.
            "min-zoomed-font-size": 12 } },
          { selector: "node:selected, node.hover, node[centre = 1], node[rank = 'F0']",
            style: { "min-zoomed-font-size": 0, "z-index": 10 } },
          { selector: "node[centre = 1]", style: { width: 34, height: 34, "border-width": 3, "border-color": "#1d3557", "font-weight": "bold" } },
          { selector: "edge[kind = 'contact']", style: {
            width: 1.5, "line-color": "#9aa5b1", "line-style": "dashed", "curve-style": "bezier" } },
          { selector: "edge[kind = 'infection']", style: {
            width: 3, "line-color": "#b3261e", "target-arrow-color": "#b3261e", "target-arrow-shape": "triangle",
            "curve-style": "bezier" } },
        ];
        Object.keys(COLORS.ranks).forEach(function (key) {
          style.push({ selector: "node[rank = '" + key + "']", style: { "background-color": COLORS.ranks[key] } });
        });
        var cy = cytoscape({
          container: el, elements: elements, style: style, maxZoom: 1.4,
          layout: { name: elements.length > 2 ? "cose" : "grid", animate: false, padding: 24, nodeRepulsion: 9000 },
        });
        cy.on("mouseover", "node", function (evt) { evt.target.addClass("hover"); });
        cy.on("mouseout", "node", function (evt) { evt.target.removeClass("hover"); });
        cy.on("tap", "node", function (evt) {
          window.location = el.dataset.personUrl.replace(/0\/$/, evt.target.data("pid") + "/");
        });
        el._cy = cy;
        window.chainGraph = cy;
        el.dataset.ready = "1";
      });
  }

  function start(root) {
    if (typeof echarts !== "undefined") {
      within(root, "[data-chart=curve]").forEach(curveChart);
      within(root, "[data-chart=map]").forEach(mapChart);
    }
    within(root, "[data-graph-url]").forEach(chainGraph);
  }

  htmx.onLoad(start);
  document.body.addEventListener("contactsChanged", function () {
    within(document, "[data-graph-url]").forEach(chainGraph);
  });
  var resizing;
  window.addEventListener("resize", function () {
    clearTimeout(resizing);
    resizing = setTimeout(function () {
      if (typeof echarts === "undefined") return;
      within(document, "[data-chart=map]").forEach(mapChart);
      within(document, "[data-chart=curve]").forEach(function (el) {
        var c = echarts.getInstanceByDom(el);
        if (c) c.resize();
      });
    }, 150);
  });
})();
