/* A campaign's progress by day (ECharts, vendored): bars of samples taken and final results,
   positives as a line, coverage of the target on a second axis. Starts from data-* attributes. */
(function () {
  "use strict";

  function dayMonth(iso) {
    var p = String(iso).split("-");
    return p.length === 3 ? p[2] + "/" + p[1] : iso;
  }

  function draw(el) {
    if (typeof echarts === "undefined") return;
    var source = document.getElementById(el.dataset.source);
    if (!source) return;
    var data = JSON.parse(source.textContent);
    var d = el.dataset;
    var old = echarts.getInstanceByDom(el);
    if (old) old.dispose();
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var hasCoverage = data.coverage.some(function (v) { return v !== null; });
    var series = [
      { name: d.labelSampled, type: "bar", data: data.sampled, barMaxWidth: 18, itemStyle: { color: "#1d3557" } },
      { name: d.labelResults, type: "bar", data: data.results, barMaxWidth: 18, itemStyle: { color: "#8ab4d8" } },
      { name: d.labelPositives, type: "line", data: data.positives, itemStyle: { color: "#b3261e" } },
      { name: d.labelPositivePools, type: "line", data: data.positive_pools, lineStyle: { type: "dashed" },
        itemStyle: { color: "#e8710a" } },
    ];
    var yAxis = [{ type: "value", minInterval: 1 }];
    if (hasCoverage) {
      yAxis.push({ type: "value", min: 0, max: function (v) { return Math.max(100, Math.ceil(v.max)); },
                   axisLabel: { formatter: "{value} %" }, splitLine: { show: false } });
      series.push({ name: d.labelCoverage, type: "line", yAxisIndex: 1, data: data.coverage, smooth: true,
                    showSymbol: false, itemStyle: { color: "#2d6a4f" } });
    }
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      // On a phone the legend takes two lines.
      grid: { left: 40, right: hasCoverage ? 48 : 16, top: el.clientWidth < 560 ? 72 : 40, bottom: 28 },
      xAxis: { type: "category", data: data.days, axisLabel: { formatter: dayMonth } },
      yAxis: yAxis,
      series: series,
    });
  }

  function start(root) {
    var found = Array.prototype.slice.call(root.querySelectorAll("[data-chart=campaign]"));
    found.forEach(draw);
  }

  htmx.onLoad(start);
  window.addEventListener("resize", function () {
    if (typeof echarts === "undefined") return;
    document.querySelectorAll("[data-chart=campaign]").forEach(function (el) {
      var c = echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  });
})();
