/* Searchable multi-select (OpenRegion, self-written, no dependencies).

   Enhances every <select multiple data-multiselect>: the native select stays in the form and keeps
   the values (it is the control when JavaScript is off); this script hides it and shows
   - the picked items as chips, each a button "Remove <item>",
   - a filter text box (labelled by the field's own label) and
   - a group of native checkboxes, one per option, filtered as you type.
   Keyboard: type to filter; Tab or ArrowDown moves into the list; Space toggles; ArrowUp/ArrowDown
   move between visible items; Escape returns to the filter box. The number of matches is announced
   once typing pauses (never the whole list). Texts come from data attributes set by
   core.forms.SearchableMultiSelect, already translated. */
(function () {
  "use strict";

  var counter = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) node.textContent = text;
    return node;
  }

  function fill(template, key, value) {
    return (template || "").replace("%(" + key + ")s", value);
  }

  function normalise(text) {
    return text.toLocaleLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }

  function enhance(select) {
    if (select.dataset.multiselectReady) return;
    select.dataset.multiselectReady = "1";
    counter += 1;
    var base = (select.id || "multiselect-" + counter) + "-ms";
    var data = select.dataset;
    var label = select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    if (label && !label.id) label.id = base + "-label";

    var wrapper = el("div", { class: "ms" });
    var chipsHeading = el("p", { class: "ms-chips-label", id: base + "-chips-label" }, data.selectedLabel);
    var chips = el("ul", { class: "ms-chips", "aria-labelledby": base + "-chips-label" });
    var none = el("p", { class: "ms-none muted" }, data.noneSelected);
    var filterId = base + "-filter";
    var filter = el("input", {
      type: "search",
      id: filterId,
      class: "ms-filter",
      autocomplete: "off",
      "aria-describedby": base + "-hint",
      "aria-controls": base + "-list"
    });
    var hint = el("p", { class: "help", id: base + "-hint" }, data.filterHint);
    var group = el("div", { role: "group", class: "ms-group" });
    var list = el("ul", { class: "ms-list", id: base + "-list" });
    group.appendChild(list);
    var status = el("p", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    var empty = el("p", { class: "ms-empty muted", hidden: "" }, data.noMatches);

    // The field's label now names the filter box and the checkbox group; the hidden select keeps
    // its name and values for the form submission.
    if (label) {
      label.setAttribute("for", filterId);
      group.setAttribute("aria-labelledby", label.id);
    } else {
      filter.setAttribute("aria-label", data.filterLabel);
      group.setAttribute("aria-label", data.filterLabel);
    }
    if (select.getAttribute("aria-describedby")) {
      filter.setAttribute("aria-describedby", base + "-hint " + select.getAttribute("aria-describedby"));
    }

    var boxes = [];
    Array.prototype.forEach.call(select.options, function (option, index) {
      if (!option.value) return;
      var item = el("li", { class: "ms-item" });
      var boxId = base + "-" + index;
      var box = el("input", { type: "checkbox", id: boxId, value: option.value });
      box.checked = option.selected;
      var boxLabel = el("label", { for: boxId }, option.textContent);
      item.appendChild(box);
      item.appendChild(boxLabel);
      list.appendChild(item);
      box._option = option;
      box._item = item;
      box._text = normalise(option.textContent);
      box.addEventListener("change", function () {
        option.selected = box.checked;
        select.dispatchEvent(new Event("change", { bubbles: true }));
        renderChips();
      });
      boxes.push(box);
    });

    function visibleBoxes() {
      return boxes.filter(function (box) {
        return !box._item.hidden;
      });
    }

    function renderChips() {
      chips.textContent = "";
      var picked = boxes.filter(function (box) {
        return box.checked;
      });
      picked.forEach(function (box) {
        var chip = el("li");
        var button = el("button", { type: "button", class: "ms-chip" });
        var text = box._option.textContent;
        button.setAttribute("aria-label", fill(data.removeLabel, "item", text));
        button.appendChild(el("span", {}, text));
        button.appendChild(el("span", { "aria-hidden": "true", class: "ms-chip-x" }, "×"));
        button.addEventListener("click", function () {
          // focus moves to the chip that takes this one's place, or to the filter box
          var position = Array.prototype.indexOf.call(chips.children, chip);
          box.checked = false;
          box.dispatchEvent(new Event("change"));
          var remaining = chips.querySelectorAll("button");
          (remaining[Math.min(position, remaining.length - 1)] || filter).focus();
        });
        chip.appendChild(button);
        chips.appendChild(chip);
      });
      chips.hidden = picked.length === 0;
      none.hidden = picked.length > 0;
    }

    var announceTimer = null;
    function applyFilter() {
      var query = normalise(filter.value.trim());
      var shown = 0;
      boxes.forEach(function (box) {
        var match = !query || box._text.indexOf(query) !== -1;
        box._item.hidden = !match;
        if (match) shown += 1;
      });
      empty.hidden = shown > 0;
      window.clearTimeout(announceTimer);
      announceTimer = window.setTimeout(function () {
        status.textContent = query ? (shown ? fill(data.matchesLabel, "count", shown) : data.noMatches) : "";
      }, 600);
    }

    filter.addEventListener("input", applyFilter);
    filter.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        // Enter in the filter box picks the only match instead of submitting the form.
        event.preventDefault();
        var visible = visibleBoxes();
        if (visible.length === 1) {
          visible[0].checked = !visible[0].checked;
          visible[0].dispatchEvent(new Event("change"));
        }
      } else if (event.key === "ArrowDown") {
        var first = visibleBoxes()[0];
        if (first) {
          event.preventDefault();
          first.focus();
        }
      }
    });
    list.addEventListener("keydown", function (event) {
      var visible = visibleBoxes();
      var position = visible.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && position < visible.length - 1) {
        event.preventDefault();
        visible[position + 1].focus();
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        (position > 0 ? visible[position - 1] : filter).focus();
      } else if (event.key === "Escape") {
        event.preventDefault();
        filter.focus();
      }
    });
    // A reset of the surrounding form resets the checkboxes too.
    if (select.form) {
      select.form.addEventListener("reset", function () {
        window.setTimeout(function () {
          boxes.forEach(function (box) {
            box.checked = box._option.selected;
          });
          renderChips();
        });
      });
    }

    wrapper.appendChild(chipsHeading);
    wrapper.appendChild(chips);
    wrapper.appendChild(none);
    wrapper.appendChild(filter);
    wrapper.appendChild(hint);
    wrapper.appendChild(status);
    wrapper.appendChild(group);
    wrapper.appendChild(empty);
    select.hidden = true;
    select.setAttribute("aria-hidden", "true");
    select.tabIndex = -1;
    // a hidden control cannot show the browser's "required" bubble; the server validates instead
    select.required = false;
    select.insertAdjacentElement("afterend", wrapper);
    renderChips();
  }

  function enhanceAll(root) {
    (root || document).querySelectorAll("select[multiple][data-multiselect]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      enhanceAll();
    });
  } else {
    enhanceAll();
  }
  // Forms swapped in by htmx get the same treatment.
  document.addEventListener("htmx:afterSettle", function (event) {
    enhanceAll(event.target);
  });
})();
