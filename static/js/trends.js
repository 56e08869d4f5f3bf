// Trends: draws each chart from the JSON in #trends-body's data-charts attribute when it scrolls into view, fetching
// Chart.js (our own static copy, data-chartjs) only then, one chart per task so no task runs long on a slow phone.
// Runs on first load and again after htmx swaps in a new range; no inline script, no data from anywhere else.
// Also: the nights calendar's swipe (left for later, right for earlier months).
(function () {
  "use strict";

  // Words through Django's JavaScript catalogue (its own script, loaded before this one); if it did not load, the
  // English as written here. Looked up when used, so the order the scripts ran in does not matter.
  var gettext = function (s) { return window.gettext ? window.gettext(s) : s; };
  var ngettext = function (one, many, n) {
    return window.ngettext ? window.ngettext(one, many, n) : (n === 1 ? one : many);
  };
  var pgettext = function (context, s) { return window.pgettext ? window.pgettext(context, s) : s; };
  var interpolate = function (fmt, obj, named) {
    if (window.interpolate) { return window.interpolate(fmt, obj, named); }
    return fmt.replace(/%\(\w+\)s/g, function (match) { return String(obj[match.slice(2, -2)]); });
  };

  // Numbers the page's language's way ("1,5" in German), as Chart.js writes its ticks and tooltips with `locale`.
  function language() { return document.documentElement.lang || "en"; }
  function percent(value) {
    return new Intl.NumberFormat(language(), { style: "percent", maximumFractionDigits: 0 }).format(value / 100);
  }

  function css(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  // Colours come from the theme (static/css/app.css), where each mark and the grid meet 3:1 against the card.
  function palette() {
    return {
      text: css("--text"), muted: css("--muted"), grid: css("--chart-grid"),
      series: [1, 2, 3, 4, 5, 6, 7].map(function (i) { return css("--chart-" + i); })
    };
  }

  function title(text, colors) {
    return { display: true, text: text, color: colors.muted, font: { weight: "600" } };
  }

  // One y-axis per chart, always titled; the x-axis skips labels rather than let them touch.
  function axes(colors, yTitle, extra) {
    var base = {
      x: { ticks: { color: colors.muted, maxRotation: 0, autoSkipPadding: 12 }, grid: { display: false },
           border: { color: colors.grid } },
      y: { beginAtZero: true, ticks: { color: colors.muted, precision: 0 }, grid: { color: colors.grid },
           border: { display: false }, title: title(yTitle, colors) }
    };
    return Object.assign(base, extra || {});
  }

  // Bands ("1000 to 1500 ml") read best as horizontal bars: each label on its own line, never squeezed.
  function bandChart(d, c, colour) {
    return { type: "bar", data: { labels: d.labels, datasets: [
      { label: gettext("Nights with cramps"), data: d.percent, backgroundColor: colour }] },
      options: { indexAxis: "y", scales: {
        x: { beginAtZero: true, max: 100, ticks: { color: c.muted, callback: percent },
             grid: { color: c.grid }, border: { display: false }, title: title(gettext("Nights with cramps after it"), c) },
        y: { ticks: { color: c.muted, autoSkip: false }, grid: { display: false }, border: { color: c.grid },
             title: title(d.axis, c) } },
        plugins: { legend: { display: false }, tooltip: { callbacks: { label: function (item) {
          var nights = d.days[item.dataIndex];
          return interpolate(ngettext("%(percent)s of %(nights)s night", "%(percent)s of %(nights)s nights", nights),
            { percent: percent(item.raw), nights: nights }, true); } } } } } };
  }

  // Medicines and supplements started or stopped: a dashed line at their week, labelled with the person's own
  // words. Labels that would touch move down a row; the boxes are kept on the chart for the tests.
  var markerPlugin = {
    id: "diaryMarkers",
    afterDatasetsDraw: function (chart) {
      var markers = chart.options.plugins.diaryMarkers && chart.options.plugins.diaryMarkers.markers;
      if (!markers || !markers.length) { return; }
      var ctx = chart.ctx, area = chart.chartArea, x = chart.scales.x, colors = chart.options.plugins.diaryMarkers;
      var rows = [], boxes = [];
      ctx.save();
      ctx.font = "12px " + Chart.defaults.font.family;
      ctx.textBaseline = "top";
      markers.forEach(function (marker) {
        var at = x.getPixelForValue(marker.at);
        ctx.strokeStyle = colors.color;
        ctx.setLineDash([4, 3]);
        ctx.lineWidth = 1.5;
        ctx.beginPath(); ctx.moveTo(at, area.top - colors.room); ctx.lineTo(at, area.bottom); ctx.stroke();
        marker.lines.forEach(function (text) {
          if (text.length > 28) { text = text.slice(0, 27) + "…"; }
          var width = ctx.measureText(text).width + 4;
          var left = Math.min(Math.max(at + 3, area.left), area.right - width);
          if (at + 3 + width > area.right) { left = Math.max(area.left, at - 3 - width); }
          var row = 0;
          while ((rows[row] || []).some(function (b) { return left < b.right && b.left < left + width; })) { row++; }
          var top = area.top - colors.room + 1 + row * 15;  // in the room kept above the bars
          var box = { left: left, right: left + width, top: top, bottom: top + 14 };
          (rows[row] = rows[row] || []).push(box);
          boxes.push(box);
          ctx.fillStyle = colors.background;
          ctx.fillRect(box.left, box.top, width, 14);
          ctx.fillStyle = colors.text;
          ctx.fillText(text, box.left + 2, box.top + 1);
        });
      });
      ctx.restore();
      chart.$markerBoxes = boxes;
    }
  };

  // A personal experiment's blocks (tracker/experiments/), drawn as on the nights calendar: above the plot, each
  // block has a bar, solid for the change and dotted for the usual routine, marked "Change" or "Usual" when the
  // word fits; behind the bars, the change's nights are hatched. The key and the list under the chart say the same
  // in words. Positions are in bar widths: bar i's band runs from i to i + 1. Label boxes are kept for the tests.
  var STRIP = 20;
  var blockPlugin = {
    id: "diaryBlocks",
    beforeDatasetsDraw: function (chart) {
      var o = chart.options.plugins.diaryBlocks;
      if (!o || !o.blocks || !o.blocks.length) { return; }
      var ctx = chart.ctx, area = chart.chartArea, n = chart.data.labels.length;
      var at = function (u) { return area.left + u * (area.right - area.left) / n; };
      var height = area.bottom - area.top, boxes = [];
      ctx.save();
      ctx.font = "12px " + Chart.defaults.font.family;
      ctx.textBaseline = "top";
      o.blocks.forEach(function (block) {
        var left = at(block.from), right = at(block.to), bar = area.top - 3;
        if (block.change) {
          ctx.save();  // the hatch: thin diagonal lines, so the bars in front stay clear
          ctx.beginPath(); ctx.rect(left, area.top, right - left, height); ctx.clip();
          ctx.strokeStyle = o.change; ctx.lineWidth = 1;
          ctx.beginPath();
          for (var x = left - height; x < right; x += 8) { ctx.moveTo(x, area.bottom); ctx.lineTo(x + height, area.top); }
          ctx.stroke();
          ctx.restore();
          ctx.strokeStyle = o.change; ctx.lineWidth = 4; ctx.setLineDash([]);
        } else {
          ctx.strokeStyle = o.usual; ctx.lineWidth = 3; ctx.setLineDash([3, 3]);
        }
        ctx.beginPath(); ctx.moveTo(left + 1.5, bar); ctx.lineTo(right - 1.5, bar); ctx.stroke();
        // The word starts over its bar's start, moved back a little at the chart's right edge (the current block
        // is often there and short), never onto another word or far from its bar.
        // Translators: written over an experiment's block on the cramps chart; the key under it quotes the word.
        var word = block.change ? pgettext("chart block", "Change") : pgettext("chart block", "Usual");
        var width = ctx.measureText(word).width;
        var from = Math.min(Math.max(left + 1, area.left), area.right - width);
        var top = area.top - STRIP + 1;
        var box = { left: from, right: from + width, top: top, bottom: top + 13 };
        var clear = boxes.every(function (b) { return box.left >= b.right + 4 || b.left >= box.right + 4; });
        if (from >= left - 8 && box.right <= right + 8 && clear) {
          ctx.fillStyle = o.text;
          ctx.fillText(word, box.left, top);
          boxes.push(box);
        }
      });
      ctx.restore();
      chart.$blockBoxes = boxes;
    }
  };

  var builders = {
    cramps: function (d, c) {
      // Room above the bars for the markers' labels: a row for each, up to 4 (more would share rows), and below
      // them the strip for an experiment's blocks.
      var lines = d.markers.reduce(function (n, m) { return n + m.lines.length; }, 0);
      var strip = d.blocks && d.blocks.length ? STRIP : 0;
      var room = 15 * Math.min(lines, 4) + strip;
      return { type: "bar", data: { labels: d.labels, datasets: [
        { label: gettext("Cramps"), data: d.count, backgroundColor: c.series[0] }] },
        options: { layout: { padding: { top: room } }, scales: axes(c, gettext("Cramps")), plugins: { legend: { display: false },
          diaryMarkers: { markers: d.markers, room: room, color: c.series[6], text: c.text,
                          background: css("--surface") },
          diaryBlocks: { blocks: d.blocks || [], change: c.series[1], usual: c.muted, text: c.text } } } };
    },
    intensity: function (d, c) {
      return { type: "line", data: { labels: d.labels, datasets: [
        { label: gettext("Mean"), data: d.mean, borderColor: c.series[0], backgroundColor: c.series[0], spanGaps: true,
          pointRadius: 2.5 },
        { label: gettext("Highest"), data: d.top, borderColor: c.series[1], backgroundColor: c.series[1], borderDash: [5, 3],
          spanGaps: true, pointRadius: 2.5, pointStyle: "rect" }] },
        options: { scales: axes(c, gettext("Intensity (0 to 10)"), { y: { min: 0, max: 10,
          ticks: { color: c.muted, stepSize: 2 }, grid: { color: c.grid }, border: { display: false },
          title: title(gettext("Intensity (0 to 10)"), c) } }) } };
    },
    minutes: function (d, c) {
      return { type: "bar", data: { labels: d.labels, datasets: [
        { label: gettext("Cramp minutes"), data: d.minutes, backgroundColor: c.series[0] }] },
        options: { scales: axes(c, gettext("Minutes")), plugins: { legend: { display: false } } } };
    },
    hours: function (d, c) {
      var colours = d.labels.map(function (_, hour) { return hour >= 22 || hour < 6 ? c.series[2] : c.series[0]; });
      return { type: "bar", data: { labels: d.labels, datasets: [
        { label: gettext("Cramps"), data: d.count, backgroundColor: colours }] },
        options: { scales: axes(c, gettext("Cramps")), plugins: { legend: { display: false } } } };
    },
    muscles: function (d, c) {
      var sides = Object.keys(d.sides);
      return { type: "bar", data: { labels: d.labels, datasets: sides.map(function (side, i) {
        return { label: side, data: d.sides[side], backgroundColor: c.series[i] };
      }) }, options: { indexAxis: "y", scales: {
        x: { stacked: true, beginAtZero: true, ticks: { color: c.muted, precision: 0 }, grid: { color: c.grid },
             border: { display: false }, title: title(gettext("Cramps"), c) },
        y: { stacked: true, ticks: { color: c.muted, autoSkip: false }, grid: { display: false },
             border: { color: c.grid } } } } };
    },
    fluid: function (d, c) { return bandChart(d, c, c.series[4]); },
    exercise: function (d, c) { return bandChart(d, c, c.series[5]); },
    nutrients: function (d, c) {
      var datasets = [{ label: gettext("This range"), data: d.now, backgroundColor: c.series[0] }];
      if (d.before) {
        datasets.push({ label: gettext("The range before"), data: d.before, backgroundColor: c.series[1] });
      }
      return { type: "bar", data: { labels: d.labels, datasets: datasets }, options: { indexAxis: "y", scales: {
        x: { beginAtZero: true, max: 100, ticks: { color: c.muted, callback: percent },
             grid: { color: c.grid }, border: { display: false }, title: title(gettext("Meals with a food rich in it"), c) },
        y: { ticks: { color: c.muted, autoSkip: false }, grid: { display: false }, border: { color: c.grid } } } } };
    }
  };

  var loading = null;
  function withChartJs(root) {
    if (typeof Chart !== "undefined") { return Promise.resolve(); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = root.dataset.chartjs;
        script.onload = resolve;
        script.onerror = function () { loading = null; reject(new Error("Chart.js did not load")); };
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  function draw(canvas, all) {
    var name = canvas.dataset.chart, data = all[name];
    var existing = Chart.getChart(canvas);
    if (existing) { existing.destroy(); }
    if (!data || !builders[name]) { return; }
    var colors = palette();
    Chart.defaults.color = colors.text;
    Chart.defaults.font.size = 12;
    var config = builders[name](data, colors);
    // No animation: the first draw is the one that matters, and people who ask for less motion get none.
    config.options = Object.assign({ responsive: true, maintainAspectRatio: false, animation: false,
      locale: language(), interaction: { mode: "index", intersect: false } }, config.options);
    config.options.plugins = Object.assign({ legend: { labels: { color: colors.text, boxWidth: 12,
      sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } } }, config.options.plugins || {});
    config.plugins = [blockPlugin, markerPlugin];
    new Chart(canvas, config);
    canvas.dataset.drawn = "true";
  }

  // Charts queue up as they come into view and are drawn one per task, nearest first.
  var queue = [], busy = false;
  function drainSoon(root) {
    if (busy || !queue.length) { return; }
    busy = true;
    withChartJs(root).then(function () {
      var step = function () {
        var next = queue.shift();
        if (next && next.canvas.isConnected) { draw(next.canvas, next.all); }
        if (queue.length) { setTimeout(step, 0); } else { busy = false; }
      };
      setTimeout(step, 0);  // not in the task that ran Chart.js's own code: two shorter tasks, not one long one
    }, function () { busy = false; });
  }

  var watcher = null, watched = null;
  function watch() {
    var root = document.getElementById("trends-body");
    if (!root || !root.dataset.charts || root === watched) { return; }
    watched = root;
    var all = JSON.parse(root.dataset.charts);
    if (watcher) { watcher.disconnect(); }
    var canvases = root.querySelectorAll("canvas[data-chart]");
    if (!("IntersectionObserver" in window)) {
      canvases.forEach(function (canvas) { queue.push({ canvas: canvas, all: all }); });
      drainSoon(root);
      return;
    }
    watcher = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) { return; }
        watcher.unobserve(entry.target);
        queue.push({ canvas: entry.target, all: all });
      });
      drainSoon(root);
    }, { rootMargin: "200px 0px" });
    canvases.forEach(function (canvas) { watcher.observe(canvas); });
  }

  // Charts on the content htmx is about to replace are destroyed first, so none is left listening for resizes.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (!event.detail.shouldSwap || typeof Chart === "undefined") { return; }
    event.detail.target.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
      var chart = Chart.getChart(canvas);
      if (chart) { chart.destroy(); }
    });
  });

  // The calendar: a swipe across the month goes to the next or previous one, as its buttons do.
  var touch = null;
  document.addEventListener("touchstart", function (event) {
    var grid = event.target.closest && event.target.closest(".nights-grid");
    touch = grid && event.touches.length === 1 ? { x: event.touches[0].clientX, y: event.touches[0].clientY } : null;
  }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (!touch || !event.changedTouches.length) { return; }
    var dx = event.changedTouches[0].clientX - touch.x, dy = event.changedTouches[0].clientY - touch.y;
    touch = null;
    if (Math.abs(dx) < 60 || Math.abs(dx) < 2 * Math.abs(dy)) { return; }
    var link = document.querySelector('#nights [data-month="' + (dx < 0 ? "later" : "earlier") + '"]');
    if (link) { link.click(); }
  }, { passive: true });

  document.addEventListener("DOMContentLoaded", watch);
  document.addEventListener("htmx:afterSettle", watch);
})();
