// Charts of the fund office, drawn from data attributes (the pages' CSP allows no inline
// script): <div class="chart" data-chart='{"kind": "bars", ...}'>. ECharts with the SVG
// renderer and its Chinese locale; htmx.onLoad also draws charts in swapped-in fragments.
(function () {
  "use strict";
  var BLUE = "#0d6efd", RED = "#dc3545", GREEN = "#198754", GREY = "#6c757d";
  var charts = [];

  function yuan(v) {
    return "¥" + Number(v).toLocaleString("zh-CN", { maximumFractionDigits: 0 });
  }

  var KINDS = {
    // A share of a limit as a gauge: {value: 0..1, limit: 0..1 (a red mark), label}
    share: function (d) {
      return {
        series: [{
          type: "gauge", min: 0, max: 100, radius: "95%", center: ["50%", "60%"],
          progress: { show: true, width: 14 },
          axisLine: { lineStyle: { width: 14, color: [[d.limit || 1, "#e9ecef"], [1, "#f8d7da"]] } },
          axisTick: { show: false }, splitLine: { length: 8 },
          axisLabel: { distance: 18, fontSize: 11, formatter: "{value}%" },
          pointer: { width: 4 }, title: { offsetCenter: [0, "70%"], fontSize: 12 },
          detail: { valueAnimation: false, offsetCenter: [0, "35%"], fontSize: 18,
                    formatter: "{value}%" },
          data: [{ value: Math.round(d.value * 1000) / 10, name: d.label }]
        }]
      };
    },
    // Amounts per category: {categories: [...], values: [yuan...], label}
    bars: function (d) {
      return {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", valueFormatter: yuan },
        xAxis: { type: "value", axisLabel: { formatter: function (v) { return v / 10000 + "万"; } } },
        // interval 0: every category is labelled (ECharts would skip some to avoid overlap).
        yAxis: { type: "category", inverse: true, data: d.categories,
                 axisLabel: { interval: 0, width: 90, overflow: "truncate" } },
        series: [{ type: "bar", name: d.label, data: d.values, itemStyle: { color: BLUE },
                   barMaxWidth: 18 }]
      };
    },
    // Month-by-month series: {months: [...], series: [{name, values, kind: "amount"|"ratio"}]}
    lines: function (d) {
      var ratio = d.series.some(function (s) { return s.ratio; });
      return {
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        legend: { top: 0, type: "scroll" },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: d.months },
        yAxis: { type: "value", axisLabel: ratio ? { formatter: "{value}%" } :
                 { formatter: function (v) { return v / 10000 + "万"; } } },
        series: d.series.map(function (s, i) {
          return { type: "line", name: s.name, data: s.values, showSymbol: d.months.length < 24,
                   itemStyle: { color: [BLUE, RED, GREEN, GREY][i % 4] } };
        })
      };
    },
    // Paths per claims bin: {bins: [lower edge yuan...], counts: [...], balance, label}
    histogram: function (d) {
      return {
        grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: d.bins.map(yuan), axisLabel: { rotate: 30, fontSize: 10 } },
        yAxis: { type: "value", name: d.label },
        series: [{ type: "bar", data: d.counts, barCategoryGap: "5%",
                   itemStyle: { color: function (p) {
                     return d.bins[p.dataIndex] >= d.balance ? RED : BLUE; } } }]
      };
    }
  };

  function draw(root) {
    var found = root.matches && root.matches("[data-chart]") ? [root] : [];
    root.querySelectorAll("[data-chart]").forEach(function (el) { found.push(el); });
    found.forEach(function (el) {
      var data = JSON.parse(el.dataset.chart);
      // A bar per category needs room for its label: 22 px a bar beyond the default height.
      if (data.kind === "bars" && data.categories.length > 9) {
        el.style.height = (data.categories.length * 22 + 40) + "px";
      }
      var chart = echarts.init(el, null, { locale: "ZH", renderer: "svg" });
      chart.setOption(Object.assign({ animation: false }, KINDS[data.kind](data)));
      charts.push(chart);
    });
    charts = charts.filter(function (c) {
      if (document.body.contains(c.getDom())) return true;
      c.dispose();
      return false;
    });
  }

  htmx.onLoad(draw);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
