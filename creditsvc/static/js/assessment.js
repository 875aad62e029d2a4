// The assessment's charts: the score on a 0-100 gauge with its grade bands, and each feature's
// points as bars. Data comes from the panel's data-assessment attribute (no inline scripts);
// htmx.onLoad draws the page's own panel and every 试算 fragment swapped in later.
(function () {
  "use strict";
  // Worst band first, as the gauge runs from 0 to 100; the same colours as assessment.css.
  var BAND_COLOURS = ["#6c757d", "#0d6efd", "#20c997", "#198754"];
  var charts = [];

  function gauge(el, data) {
    var bands = data.bands.slice().reverse();
    var stops = bands.map(function (band, i) {
      return [i === bands.length - 1 ? 1 : (band.high + 1) / 100, BAND_COLOURS[i] || "#6c757d"];
    });
    var chart = echarts.init(el, null, { locale: "ZH", renderer: "svg" });
    chart.setOption({
      animation: false,
      series: [{
        type: "gauge", min: 0, max: 100, splitNumber: 10, radius: "95%", center: ["50%", "58%"],
        axisLine: { lineStyle: { width: 16, color: stops } },
        splitLine: { length: 16, lineStyle: { color: "#fff", width: 2 } },
        axisTick: { show: false },
        axisLabel: { distance: 20, fontSize: 11, color: "#495057" },
        pointer: { width: 5, length: "62%" },
        detail: { show: false },
        title: { show: false },
        data: [{ value: data.score, name: data.labels.gauge }]
      }]
    });
    return chart;
  }

  function points(el, data) {
    var narrow = el.clientWidth < 480;
    var chart = echarts.init(el, null, { locale: "ZH", renderer: "svg" });
    chart.setOption({
      animation: false,
      grid: { left: 4, right: 44, top: 28, bottom: 4, containLabel: true },
      legend: { top: 0, data: [data.labels.score, data.labels.max] },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", axisLabel: { fontSize: 11 } },
      yAxis: {
        type: "category", inverse: true, data: data.features,
        axisLabel: { fontSize: 11, width: narrow ? 84 : 150, overflow: "truncate" }
      },
      series: [
        { name: data.labels.max, type: "bar", data: data.max, barWidth: 14, silent: true,
          itemStyle: { color: "#e9ecef" } },
        { name: data.labels.score, type: "bar", data: data.points, barWidth: 14,
          barGap: "-100%", itemStyle: { color: "#0d6efd" },
          label: { show: true, position: "right", fontSize: 11 } }
      ]
    });
    return chart;
  }

  function draw(root) {
    var panels = root.matches && root.matches("[data-assessment]") ? [root] : [];
    root.querySelectorAll("[data-assessment]").forEach(function (p) { panels.push(p); });
    panels.forEach(function (panel) {
      var data = JSON.parse(panel.dataset.assessment);
      var g = panel.querySelector(".chart-gauge");
      var p = panel.querySelector(".chart-points");
      if (g) charts.push(gauge(g, data));
      if (p) charts.push(points(p, data));
    });
    // Forget the charts whose element an htmx swap removed.
    charts = charts.filter(function (c) {
      if (document.body.contains(c.getDom())) return true;
      c.dispose();
      return false;
    });
  }

  htmx.onLoad(draw);
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
