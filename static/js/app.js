// Cramp Diary's small helpers. Loaded as a static file: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  // Words through Django's JavaScript catalogue (its own script, loaded first); if it didn't load, English.
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate || ((format, values) =>
    format.replace(/%\((\w+)\)s/g, (whole, name) => String(values[name])));
  const language = document.documentElement.lang || "en";
  // Whether nouns keep their capital inside a sentence is the catalogue's answer (tracker/app/l10n.py mid_sentence).
  const keepsCapitals = window.pgettext ? window.pgettext("nouns inside a sentence", "lower") === "keep" : false;
  function midSentence(label) { return keepsCapitals ? label : label.toLowerCase(); }
  // Dates as the page's language writes them; this app's English is British ("Thu 3 Dec"), as the server writes it.
  const dateLocale = language === "en" ? "en-GB" : language;

  // Chips that fill a field of the same form: "Now", "3 a.m. last night", duration presets.
  document.addEventListener("click", function (event) {
    var chip = event.target.closest("[data-fill]");
    if (chip) {
      var field = chip.form ? chip.form.elements[chip.dataset.fill] : chip.closest("form").elements[chip.dataset.fill];
      if (field) {
        field.value = chip.dataset.value;
        field.dispatchEvent(new Event("input", { bubbles: true }));
      }
      return;
    }
    var zoneButton = event.target.closest("[data-browser-zone]");
    if (zoneButton) {
      var select = document.getElementById(zoneButton.dataset.browserZone);
      var zone = browserZone();
      if (select && zone) { select.value = zone; }
    }
  });

  // Filter a group of chips (e.g. foods in a meal) as the person types. The rule is knowledge/food_search.py's
  // matches(): each typed word, or its singular, starts one of the chip's words (its data-words, which name
  // synonyms and nutrients, and its text; a typed word ending in a digit must be whole, so "b1" is not "b12"),
  // case and accents folded. A chip already ticked stays in view. When nothing matches, the box's
  // data-filter-none element says so (it sits in a role=status region).
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/['\u2019]/g, "")
      .replace(/[^a-z0-9]+/g, " ").trim().replace(/\bvit(?:amin)?s? ([a-z]\d*)\b/g, "vitamin$1");
  }
  function singular(word) {
    if (word.length > 4 && /ies$/.test(word)) { return word.slice(0, -3) + "y"; }
    if (word.length > 4 && /(oes|ches|shes|sses|xes)$/.test(word)) { return word.slice(0, -2); }
    if (word.length > 3 && /s$/.test(word) && !/(ss|us)$/.test(word)) { return word.slice(0, -1); }
    return word;
  }
  function chipMatches(typed, words) {
    return typed.every(function (part) {
      var one = singular(part);
      var whole = /\d$/.test(part);
      return words.some(function (word) {
        return whole ? word === part : word.indexOf(part) === 0 || word.indexOf(one) === 0;
      });
    });
  }
  function filterChips(box) {
    var typed = fold(box.value).split(" ").filter(Boolean);
    var form = box.closest("form");
    var found = 0;
    form.querySelectorAll('input[name="' + box.dataset.filterChips + '"]').forEach(function (input) {
      var chip = input.closest(".chip");
      if (!chip) { return; }
      var match = chipMatches(typed, fold((input.dataset.words || "") + " " + chip.textContent).split(" "));
      if (match) { found += 1; }
      chip.hidden = !match && !input.checked;
    });
    var none = box.dataset.filterNone && document.getElementById(box.dataset.filterNone);
    if (none) { none.hidden = typed.length === 0 || found > 0; }
  }
  document.addEventListener("input", function (event) {
    var box = event.target.closest && event.target.closest("[data-filter-chips]");
    if (box) { filterChips(box); }
  });
  // A box the browser refilled (Back, or a form shown again with its errors) filters at once.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("[data-filter-chips]").forEach(function (box) { if (box.value) { filterChips(box); } });
  });

  // A range input's current value, shown next to its label.
  document.addEventListener("input", function (event) {
    if (event.target.type !== "range") { return; }
    document.querySelectorAll('output[data-shows="' + event.target.id + '"]').forEach(function (out) {
      out.textContent = event.target.value;
    });
  });

  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  // Sign-up: prefill the hidden time zone from the browser.
  function fillZones(root) {
    root.querySelectorAll('input[type=hidden][name="time_zone"]').forEach(function (input) {
      if (!input.value || input.value === "UTC") { input.value = browserZone() || "UTC"; }
    });
  }
  document.addEventListener("DOMContentLoaded", function () { fillZones(document); });

  // Summary and share links: print, copy and the phone's share sheet, offered only where the browser can.
  function showWhere(selector, able) {
    document.querySelectorAll(selector).forEach(function (el) { el.hidden = !able; });
  }
  document.addEventListener("DOMContentLoaded", function () {
    showWhere("[data-print]", typeof window.print === "function");
    showWhere("[data-copy]", !!(navigator.clipboard && window.isSecureContext));
    showWhere("[data-share]", typeof navigator.share === "function");
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); return; }
    var copy = event.target.closest("[data-copy]");
    var share = event.target.closest("[data-share]");
    var source = copy || share;
    if (!source) { return; }
    var field = document.getElementById(source.dataset.copy || source.dataset.share);
    var status = document.querySelector("[data-copy-status]");
    if (copy) {
      navigator.clipboard.writeText(field.value).then(function () {
        if (status) { status.textContent = gettext("Link copied."); }
      }, function () {
        field.select();
        if (status) { status.textContent = gettext("Select the link and copy it."); }
      });
    } else {
      navigator.share({ title: gettext("Leg cramp diary summary"), url: field.value }).catch(function () {});
    }
  });
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-select-all]")) { event.target.select(); }
  });

  // After an in-place update the page-level messages are stale: the swapped fragment carries its own.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (refreshing) { return; }  // a page brought up to date after Back moves nothing (see "pageshow" below)
    document.querySelectorAll(".flashes .flash").forEach(function (flash) { flash.remove(); });
    keepRowInPlace(event) || keepButtonInPlace(event) || focusFirstError() || focusAnswer();
  });

  // After a save, what was saved (or the urgent warning it raised) is at the top of Today: move the focus and the
  // screen there, so nobody has to scroll up to find it, and a screen reader reads it.
  function focusAnswer() {
    var target = document.querySelector("main [data-focus]");
    if (!target) { return false; }
    target.focus({ preventScroll: true });
    target.scrollIntoView({ block: "start" });
    return true;
  }

  // After "Cramp saved", a one-tap detail updates Today without moving the screen: the tapped row stays where it was
  // (whatever changed above it), its button keeps the focus, and the next row is brought into view if it was not.
  // "Done" closes the card and keeps what followed it in place (as far as the page can scroll).
  var heldRow = null;
  function tapRows(form) { return Array.prototype.slice.call(form.querySelectorAll("fieldset.tap-row")); }
  function visibleBottom() {
    var bar = document.querySelector("nav.tabbar");
    var top = bar ? bar.getBoundingClientRect().top : window.innerHeight;
    return Math.min(top, window.innerHeight);
  }
  function scrollByNow(pixels) {
    if (Math.abs(pixels) >= 1) { window.scrollBy({ top: pixels, left: 0, behavior: "instant" }); }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var config = event.detail.requestConfig || {};
    var trigger = config.triggeringEvent;
    var button = trigger && trigger.submitter;
    var form = event.detail.elt;
    heldRow = null;
    if (!button || !form.matches || !form.matches("#saved-card .details-form")) { return; }
    var row = button.closest("fieldset.tap-row");
    heldRow = { form: form, index: tapRows(form).indexOf(row), value: button.value, top: row.getBoundingClientRect().top };
  });
  // A form marked data-keep-place (Today's water buttons) answers beside itself: after the swap its button is where
  // it was, with the focus, and the screen has not moved.
  var heldButton = null;
  function placeForms() { return Array.prototype.slice.call(document.querySelectorAll("form[data-keep-place]")); }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt;
    heldButton = null;
    if (!form.matches || !form.matches("form[data-keep-place]")) { return; }
    var button = form.querySelector("button");
    heldButton = { form: form, index: placeForms().indexOf(form), top: button.getBoundingClientRect().top };
  });
  function keepButtonInPlace(event) {
    var config = event.detail.requestConfig || {};
    var held = heldButton;
    heldButton = null;
    if (!held || config.elt !== held.form) { return false; }
    var form = placeForms()[held.index];
    var button = form && form.querySelector("button");
    if (!button) { return false; }
    scrollByNow(button.getBoundingClientRect().top - held.top);
    button.focus({ preventScroll: true });
    return true;
  }
  function keepRowInPlace(event) {
    var config = event.detail.requestConfig || {};
    var held = heldRow;
    heldRow = null;
    if (!held || config.elt !== held.form) { return false; }
    var form = document.querySelector("#saved-card .details-form");
    var rows = form ? tapRows(form) : [];
    var row = rows[held.index];
    if (!row) { return false; }
    scrollByNow(row.getBoundingClientRect().top - held.top);
    var button = Array.prototype.find.call(row.querySelectorAll("button"), function (b) { return b.value === held.value; });
    if (button) { button.focus({ preventScroll: true }); }
    var next = rows[held.index + 1] || form.closest("#saved-card").querySelector(".done-row");
    var overflow = next ? next.getBoundingClientRect().bottom - visibleBottom() : 0;
    if (overflow > 0) { scrollByNow(Math.min(overflow + 8, row.getBoundingClientRect().top)); }
    return true;
  }
  document.addEventListener("click", function (event) {
    var done = event.target.closest("[data-close-card]");
    var card = done && done.closest(".saved-card");
    if (!card) { return; }
    event.preventDefault();
    var after = card.nextElementSibling;
    var before = after ? after.getBoundingClientRect().top : 0;
    card.remove();
    if (after) { scrollByNow(after.getBoundingClientRect().top - before); }
    if (/[?&]saved=/.test(location.search)) { history.replaceState(history.state, "", location.pathname); }
    var main = document.getElementById("main");
    if (main) { main.focus({ preventScroll: true }); }
  });

  // A chosen time in words, as tracker/diary/today.py's when_in_words() says it: "Last night, about 3 a.m." (the
  // form's own chip), "Today at 08:15", "Yesterday at 22:40", or the day and the time. Shown under the field, where
  // its help says what empty means, and in the cramp sheet's summary line.
  function localToday() {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: document.body.dataset.zone || undefined, year: "numeric",
        month: "2-digit", day: "2-digit" }).format(new Date());
    } catch (error) {
      return new Intl.DateTimeFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    }
  }
  // The "3 a.m. last night" chip is 03:00 on the morning after the night Today calls "last night", offered from
  // then on (tracker/diary/today.py's three_am_last_night). A page left open across midnight still holds
  // yesterday's chip: from midnight until 03:00 it would file a cramp in the night before, so it is hidden.
  function localNow() {
    var options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
      hourCycle: "h23" };
    var parts;
    try {
      parts = new Intl.DateTimeFormat("en-CA", Object.assign({ timeZone: document.body.dataset.zone || undefined },
        options)).formatToParts(new Date());
    } catch (error) {
      parts = new Intl.DateTimeFormat("en-CA", options).formatToParts(new Date());
    }
    var part = {};
    parts.forEach(function (p) { part[p.type] = p.value; });
    return part.year + "-" + part.month + "-" + part.day + "T" + part.hour + ":" + part.minute;
  }
  function freshenThreeAm() {
    var now = localNow();
    document.querySelectorAll("[data-fill=at][data-value]").forEach(function (chip) {
      var value = chip.dataset.value.slice(0, 16);
      if (value) { chip.hidden = value.slice(0, 10) !== now.slice(0, 10) || value > now; }
    });
  }
  document.addEventListener("DOMContentLoaded", freshenThreeAm);
  document.addEventListener("htmx:afterSwap", freshenThreeAm);
  document.addEventListener("visibilitychange", freshenThreeAm);
  document.addEventListener("toggle", freshenThreeAm, true);
  function whenInWords(value, form) {
    var day = value.slice(0, 10);
    var time = value.slice(11, 16);
    var lastNight = Array.prototype.find.call(form.querySelectorAll("[data-fill=at]"), function (chip) {
      return chip.dataset.value && !chip.hidden;
    });
    if (lastNight && lastNight.dataset.value.slice(0, 16) === value.slice(0, 16)) {
      return gettext("Last night, about 3\u00a0a.m.");
    }
    var today = localToday();
    var noon = new Date(day + "T12:00:00Z");
    if (isNaN(noon.getTime())) { return value.replace("T", " "); }
    var yesterday = new Date(Date.parse(today + "T12:00:00Z") - 864e5).toISOString().slice(0, 10);
    if (day === today) { return interpolate(gettext("Today at %(time)s"), { time: time }, true); }
    if (day === yesterday) { return interpolate(gettext("Yesterday at %(time)s"), { time: time }, true); }
    var shown = new Intl.DateTimeFormat(dateLocale, { timeZone: "UTC", weekday: "short", day: "numeric", month: "short",
      year: day.slice(0, 4) === today.slice(0, 4) ? undefined : "numeric" }).format(noon);
    return interpolate(gettext("%(day)s at %(time)s"), { day: shown.replace(",", ""), time: time }, true);
  }
  function sayWhen(field) {
    var help = document.getElementById(field.id + "_helptext");
    if (!help || !field.form) { return; }
    if (help.dataset.empty === undefined) { help.dataset.empty = help.textContent; }  // the form's help: what empty means
    help.textContent = field.value ? whenInWords(field.value, field.form) : help.dataset.empty;
  }
  document.addEventListener("input", function (event) {
    if (event.target.type === "datetime-local") { sayWhen(event.target); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[type=datetime-local]").forEach(function (field) { if (field.value) { sayWhen(field); } });
  });

  // The cramp sheet's summary line says what will be saved, as the person chooses.
  function describeCramp(form) {
    var line = form.querySelector("[data-cramp-summary]");
    if (!line) { return; }
    function chosen(name) {
      var input = form.querySelector('input[name="' + name + '"]:checked');
      return input ? input.closest("label").textContent.trim() : "";
    }
    function chosenValue(name) {
      var input = form.querySelector('input[name="' + name + '"]:checked');
      return input ? input.value : "";
    }
    var at = form.elements.at && form.elements.at.value;
    var parts = [at ? whenInWords(at, form) : gettext("Now")];
    var legs = { left: gettext("left leg"), right: gettext("right leg"), both: gettext("both legs") };
    var side = chosenValue("side");  // the code, not the label: the label is in the page's language
    if (legs[side]) { parts.push(legs[side]); }
    var intensity = chosen("intensity");
    var words = (line.dataset.howBad || "").split(" ");
    if (intensity) {
      var word = words[Number(intensity)];
      parts.push(word ? interpolate(gettext("how bad: %(word)s (%(value)s)"), { word: word, value: intensity }, true)
        : interpolate(gettext("how bad: %(value)s"), { value: intensity }, true));
    }
    var minutes = form.elements.duration_minutes && form.elements.duration_minutes.value;
    // Translators: a cramp's length in minutes; keep the no-break space, so number and unit never split across lines.
    if (minutes) { parts.push(interpolate(gettext("%(minutes)s\u00a0min"), { minutes: minutes }, true)); }
    var muscle = chosen("muscle");
    if (muscle) { parts.push(midSentence(muscle)); }
    if (form.elements.woke_from_sleep && form.elements.woke_from_sleep.checked) { parts.push(gettext("woke me")); }
    var helped = Array.prototype.map.call(form.querySelectorAll('input[name="relief"]:checked'), function (input) {
      return midSentence(input.closest("label").textContent.trim());
    });
    if (helped.length) { parts.push(interpolate(gettext("helped: %(helped)s"), { helped: helped.join(", ") }, true)); }
    var said = parts.join(" · ").replace(/\.$/, "");  // "about 3 a.m." keeps its one full stop
    line.textContent = parts.length === 1
      ? interpolate(gettext("%(when)s. Nothing else is recorded unless you choose it."), { when: said }, true)
      : said + ".";
  }
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      var form = event.target.closest && event.target.closest(".cramp-form");
      if (form) { describeCramp(form); }
    });
  });

  // A cramp being timed: the time so far, from the start stored with the entry (so it survives a reload).
  function tick() {
    document.querySelectorAll("[data-since]").forEach(function (el) {
      var seconds = Math.max(0, Math.round((Date.now() - Date.parse(el.dataset.since)) / 1000));
      var minutes = Math.floor(seconds / 60);
      el.textContent = interpolate(gettext("%(minutes)s min %(seconds)s s so far"),
        { minutes: minutes, seconds: String(seconds % 60).padStart(2, "0") }, true);
    });
  }
  setInterval(tick, 1000);
  document.addEventListener("DOMContentLoaded", tick);
  document.addEventListener("htmx:afterSwap", tick);

  // Back, then Save, must not store an entry twice. A form that was submitted remembers its UUID in its history
  // entry; shown again by Back (from the page cache or reloaded), it takes that UUID back, which the server knows,
  // and says it was saved.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest("form[data-once]");
    if (!form || !form.elements.uuid) { return; }
    var state = Object.assign({}, history.state || {}, { savedUuid: form.elements.uuid.value });
    history.replaceState(state, "");
  });
  window.addEventListener("pageshow", function () {
    var saved = history.state && history.state.savedUuid;
    var form = document.querySelector("form[data-once]");
    if (!saved || !form || !form.elements.uuid) { return; }
    form.elements.uuid.value = saved;
    var notice = form.querySelector("[data-once-notice]");
    if (notice) { notice.hidden = false; }
  });

  // Back and Forward never show an old diary. A page shown again from the back-forward cache (event.persisted) or
  // from the browser's copy of its HTML (a back_forward navigation) may predate what was logged since: Today's and
  // History's diary part is fetched again in place (no flash, the scroll kept); any other page of a signed-in
  // person is loaded again, unless the person had started typing in one of its fields or it shows a form's errors.
  var refreshing = false;
  function shownFromHistory(event) {
    if (event.persisted) { return true; }
    var entries = performance.getEntriesByType ? performance.getEntriesByType("navigation") : [];
    return entries.length > 0 && entries[0].type === "back_forward";
  }
  function changedByHand(root) {
    return Array.prototype.some.call(root.querySelectorAll("input, textarea, select"), function (field) {
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") { return false; }
      if (field.type === "checkbox" || field.type === "radio") { return field.checked !== field.defaultChecked; }
      if (field.tagName === "SELECT") {
        return Array.prototype.some.call(field.options, function (o) { return o.selected !== o.defaultSelected; });
      }
      return field.value !== field.defaultValue;
    });
  }
  window.addEventListener("pageshow", function (event) {
    if (!document.body.dataset.user || !shownFromHistory(event)) { return; }
    var live = document.getElementById("today-body") || document.getElementById("history-list");
    var main = document.getElementById("main");
    if (live && window.htmx) {
      refreshing = true;
      window.htmx.ajax("GET", location.pathname + location.search, { target: "#" + live.id, swap: "outerHTML" })
        .catch(function () {})  // offline: the page stays as it is, with the offline notice
        .finally(function () { refreshing = false; });
    } else if (main && !changedByHand(main) && !main.querySelector("[aria-invalid=true], .error")) {
      // A GET of the same address, never a form sent again (a page that answered a POST, reloaded, would be).
      if (location.hash) { location.reload(); } else { location.replace(location.pathname + location.search); }
    }
  });

  // A rejected form: focus the first field in error, so a screen reader reads its label and the error tied
  // to it (aria-describedby), and the field is in view.
  function focusFirstError() {
    var field = document.querySelector("main [aria-invalid=true]");
    if (field && typeof field.focus === "function") { field.focus(); return true; }
    return false;
  }
  document.addEventListener("DOMContentLoaded", function () { focusFirstError() || focusAnswer(); });

  // A reminder's "I had cramps" (or a tap on the reminder) opens Today at #last-night: the cramp sheet open with
  // "3 a.m. last night" chosen, ready to save or to add details.
  function openLastNight() {
    if (location.hash !== "#last-night") { return; }
    var sheet = document.querySelector("details.sheet");
    if (!sheet) { return; }
    sheet.open = true;
    freshenThreeAm();
    var chip = Array.prototype.find.call(sheet.querySelectorAll("[data-fill=at]"), function (b) {
      return b.dataset.value && !b.hidden;
    });
    if (chip) { chip.click(); }
    var summary = sheet.querySelector("summary");
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }
  document.addEventListener("DOMContentLoaded", openLastNight);
  window.addEventListener("hashchange", openLastNight);
})();
