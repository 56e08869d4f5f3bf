// Trends: draws the charts from the JSON the page carries in #trends-body's data-charts attribute.
// Runs on first load and again after htmx swaps in a new range; no inline script, no data from anywhere else.
(function () {
  "use strict";

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  function palette() {
    return {
      text: css("--text"), muted: css("--muted"), line: css("--line"), accent: css("--accent"),
      series: [1, 2, 3, 4, 5, 6, 7].map(function (i) { return css("--chart-" + i); })
    };
  }

  function axes(colors, extra) {
    var base = {
      x: { ticks: { color: colors.muted, maxRotation: 0, autoSkipPadding: 8 }, grid: { display: false } },
      y: { beginAtZero: true, ticks: { color: colors.muted, precision: 0 }, grid: { color: colors.line } }
    };
    return Object.assign(base, extra || {});
  }

  function percentScale(colors) {
    return { beginAtZero: true, max: 100, ticks: { color: colors.muted, callback: function (v) { return v + "%"; } },
             grid: { color: colors.line } };
  }

  // Band names ("1000 ml to 1500 ml") on two or three short lines, so every bar keeps its label on a phone.
  function wrap(labels) {
    return labels.map(function (label) {
      var lines = [], line = "";
      label.split(" ").forEach(function (word) {
        if (line && (line + " " + word).length > 10) { lines.push(line); line = word; } else { line = line ? line + " " + word : word; }
      });
      lines.push(line);
      return lines;
    });
  }

  function bandAxes(colors, title) {
    return axes(colors, { y: percentScale(colors),
      x: { ticks: { color: colors.muted, autoSkip: false, maxRotation: 0 }, grid: { display: false },
           title: { display: true, text: title, color: colors.muted } } });
  }

  function dayCounts(data) {
    return function (item) { return item.formattedValue + "% of " + data.days[item.dataIndex] + " nights"; };
  }

  var builders = {
    cramps: function (d, c) {
      return {
        data: { labels: d.labels, datasets: [
          { type: "bar", label: "Cramps", data: d.count, backgroundColor: c.series[0], yAxisID: "y", order: 2 },
          { type: "line", label: "Mean intensity", data: d.mean, borderColor: c.series[1], backgroundColor: c.series[1],
            yAxisID: "intensity", spanGaps: true, pointRadius: 2, order: 1 },
          { type: "line", label: "Highest intensity", data: d.top, borderColor: c.series[2], backgroundColor: c.series[2],
            borderDash: [4, 3], yAxisID: "intensity", spanGaps: true, pointRadius: 2, order: 0 }
        ] },
        options: { scales: axes(c, { intensity: { position: "right", min: 0, max: 10,
          ticks: { color: c.muted, stepSize: 2 }, grid: { display: false } } }) }
      };
    },
    minutes: function (d, c) {
      return { type: "bar", data: { labels: d.labels, datasets: [
        { label: "Cramp minutes", data: d.minutes, backgroundColor: c.series[0] }] },
        options: { scales: axes(c), plugins: { legend: { display: false } } } };
    },
    hours: function (d, c) {
      var colours = d.labels.map(function (_, hour) { return hour >= 22 || hour < 6 ? c.series[3] : c.series[0]; });
      return { type: "bar", data: { labels: d.labels, datasets: [
        { label: "Cramps", data: d.count, backgroundColor: colours }] },
        options: { scales: axes(c), plugins: { legend: { display: false } } } };
    },
    muscles: function (d, c) {
      var sides = Object.keys(d.sides);
      return { type: "bar", data: { labels: d.labels, datasets: sides.map(function (side, i) {
        return { label: side, data: d.sides[side], backgroundColor: c.series[i] };
      }) }, options: { indexAxis: "y", scales: {
        x: { stacked: true, beginAtZero: true, ticks: { color: c.muted, precision: 0 }, grid: { color: c.line } },
        y: { stacked: true, ticks: { color: c.muted }, grid: { display: false } } } } };
    },
    fluid: function (d, c) {
      return { type: "bar", data: { labels: wrap(d.labels), datasets: [
        { label: "Nights with cramps", data: d.percent, backgroundColor: c.series[4] }] },
        options: { scales: bandAxes(c, d.axis),
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: dayCounts(d) } } } } };
    },
    exercise: function (d, c) {
      return { type: "bar", data: { labels: wrap(d.labels), datasets: [
        { label: "Nights with cramps", data: d.percent, backgroundColor: c.series[5] }] },
        options: { scales: bandAxes(c, d.axis),
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: dayCounts(d) } } } } };
    },
    nutrients: function (d, c) {
      var names = Object.keys(d.series);
      return { type: "line", data: { labels: d.labels, datasets: names.map(function (name, i) {
        return { label: name, data: d.series[name], borderColor: c.series[i], backgroundColor: c.series[i],
                 spanGaps: true, pointRadius: 1.5, borderWidth: 2 };
      }) }, options: { scales: axes(c, { y: percentScale(c) }) } };
    }
  };

  function draw() {
    var root = document.getElementById("trends-body");
    if (!root || !root.dataset.charts || typeof Chart === "undefined") { return; }
    var all = JSON.parse(root.dataset.charts);
    var colors = palette();
    var still = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    Chart.defaults.color = colors.text;
    Chart.defaults.font.size = 12;
    root.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var name = canvas.dataset.chart;
      var data = all[name];
      var existing = Chart.getChart(canvas);
      if (existing) { existing.destroy(); }
      if (!data || !builders[name]) { return; }
      var config = builders[name](data, colors);
      config.type = config.type || "bar";
      config.options = Object.assign({
        responsive: true, maintainAspectRatio: false, animation: still ? false : { duration: 300 },
        interaction: { mode: "index", intersect: false }
      }, config.options);
      config.options.plugins = Object.assign({ legend: { labels: { color: colors.text, boxWidth: 12,
        sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } } },
        config.options.plugins || {});
      new Chart(canvas, config);
    });
  }

  // Charts on the content htmx is about to replace are destroyed first, so none is left listening for resizes.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.shouldSwap || typeof Chart === "undefined") { return; }
    document.querySelectorAll("#trends-body canvas[data-chart]").forEach(function (canvas) {
      var chart = Chart.getChart(canvas);
      if (chart) { chart.destroy(); }
    });
  });
  document.addEventListener("DOMContentLoaded", draw);
  document.addEventListener("htmx:afterSettle", draw);
})();
