// Arrow keys move from the food search box into its results and between them;
// Enter on a result picks it like a click. Everything works without this file too.
document.addEventListener("keydown", (event) => {
  if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
  const box = document.getElementById("food-search");
  const results = Array.from(document.querySelectorAll("#search-results a.result"));
  if (!box || results.length === 0) return;
  const index = results.indexOf(document.activeElement);
  if (document.activeElement !== box && index < 0) return;
  event.preventDefault();
  if (event.key === "ArrowDown") {
    results[Math.min(index + 1, results.length - 1)].focus();
  } else if (index <= 0) {
    box.focus();
  } else {
    results[index - 1].focus();
  }
});

// On a wide screen the day page opens with the search box focused, ready to type. Not on
// a phone, where focusing would cover half the page with the keyboard.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("food-search");
  if (!box || document.querySelector("[autofocus]")) return;
  if (document.activeElement && document.activeElement !== document.body) return;
  if (window.matchMedia("(min-width: 60rem)").matches) box.focus();
});

// Esc closes an entry's edit form without saving, and puts the focus back on its
// "Edit" link. (The form's Cancel link does the same for a click.)
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) return;
  const editor = event.target.closest(".entry-edit");
  const cancel = editor && editor.querySelector("a.cancel-edit");
  if (!cancel) return;
  event.preventDefault();
  const entryId = editor.id.replace("edit-entry-", "");
  htmx
    .ajax("GET", cancel.href, {
      source: cancel,
      target: "#day-body",
      select: "#day-body",
      swap: "outerHTML",
    })
    .then(() => {
      const edit = document.querySelector(`#entry-${entryId} a.edit-entry`);
      (edit || document.getElementById("food-search"))?.focus();
    });
});

// Esc closes a cramp's or a supplement's edit form in its row, as its Cancel link does
// (which swaps the row back and puts the focus on its "Edit" link).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || !(event.target instanceof Element)) return;
  const cancel = event.target.closest(".row-edit")?.querySelector("a.cancel-edit");
  if (!cancel) return;
  event.preventDefault();
  cancel.click();
});

// A row's "Edit" link (an entry, a cramp, a supplement taken, a recipe's ingredient).
// Its answer is the row's form, drawn in its place with the keyboard in its first field.
const EDIT_LINKS = "a.edit-entry, a.edit-row";

// A double click on "Edit": the first press asks for the form, whose answer usually comes
// before the second press, which then lands on the form drawn where the link was. That
// press must do nothing: a press on the form's text took the keyboard out of the field
// the form put it in (what was typed next went nowhere), and one on a button pressed it.
// (A second press that comes before the answer lands on the link: hx-sync drops it.)
let pressBeganOnEdit = false;
for (const type of ["mousedown", "mouseup", "click"]) {
  document.addEventListener(
    type,
    (event) => {
      if (!(event.target instanceof Element)) return;
      if (event.detail <= 1) {
        if (type === "mousedown") pressBeganOnEdit = event.target.closest(EDIT_LINKS) !== null;
        return;
      }
      if (!pressBeganOnEdit) return;
      event.preventDefault();
      event.stopPropagation();
    },
    true,
  );
}

// An answer puts the keyboard in its form ("autofocus"), unless the person went to
// another field, or typed in one, after asking: then the keyboard stays there. (An Edit
// answer that came late took the keyboard out of the form being typed in, and the rest
// of the typing went into the late form: the typed 9 stayed 4.) Edit links settle their
// answer at once (settle:0ms), so that the form never shows before the keyboard is in
// it, and this choice is made as the answer is drawn.
let touches = 0; // how many times the person went to a field or typed in one
let lastTouched = null;
const touchesWhenAsked = new WeakMap(); // request → touches then
function touched(event) {
  const field = event.target;
  if (field instanceof Element && field.matches("input, select, textarea")) {
    touches += 1;
    lastTouched = field;
  }
}
document.addEventListener("focusin", touched);
document.addEventListener("input", touched);
document.addEventListener("htmx:beforeRequest", (event) => {
  touchesWhenAsked.set(event.detail.xhr, touches);
});
document.addEventListener("htmx:afterSwap", (event) => {
  const swapped = event.target;
  const field = document.activeElement;
  const asked = touchesWhenAsked.get(event.detail.xhr);
  if (!(swapped instanceof Element) || asked === undefined || touches === asked) return;
  if (field !== lastTouched || !field.isConnected || swapped.contains(field)) return;
  if (swapped.hasAttribute("autofocus")) swapped.removeAttribute("autofocus");
  swapped.querySelectorAll("[autofocus]").forEach((elt) => elt.removeAttribute("autofocus"));
});

// Saving one row's form re-draws the list or the parts of the day around it (some out
// of band: tracker/day_page.py). A row still open for editing elsewhere (an entry, a
// cramp, a supplement) keeps what was typed in it: it is put back in place of its fresh
// copy, unless that row is gone, and a field being typed in keeps the keyboard.
let asking = null;
let openEditors = [];
let typing = null;
function editorsOpenIn(part) {
  return Array.from(part.querySelectorAll("li[id]")).filter(
    // (A selector matches ancestors too: the row itself may be the .row-edit.)
    (row) => row !== asking && row.querySelector(".row-edit form, .entry-edit form"),
  );
}
function fieldTypedIn() {
  const field = document.activeElement;
  return openEditors.some((editor) => editor.contains(field)) ? field : null;
}
document.addEventListener("htmx:beforeSwap", (event) => {
  asking = event.detail.requestConfig?.elt?.closest("li[id]") ?? null;
  openEditors = editorsOpenIn(event.detail.target);
  typing = fieldTypedIn();
});
document.addEventListener("htmx:oobBeforeSwap", (event) => {
  openEditors.push(...editorsOpenIn(event.detail.target));
  typing ??= fieldTypedIn();
});
document.addEventListener("htmx:afterSwap", () => {
  for (const editor of openEditors) {
    const fresh = document.getElementById(editor.id);
    if (!fresh || fresh === editor) continue;
    // The focus goes where the answer says, not back into a form left open.
    editor.querySelectorAll("[autofocus]").forEach((field) => field.removeAttribute("autofocus"));
    fresh.replaceWith(editor);
  }
  // Taken out of the page and put back, the field lost the keyboard: it gets it again.
  if (typing?.isConnected && document.activeElement !== typing) typing.focus();
  openEditors = [];
  asking = null;
  typing = null;
});

// Messages an htmx answer brings replace those shown before ("Welcome…" from the page
// load, "Added…" from the last change), so that one box says what just happened.
function keepOnlyMessagesIn(swapped) {
  if (!(swapped instanceof Element) || !swapped.querySelector(".messages")) return;
  for (const shown of document.querySelectorAll(".messages")) {
    if (!swapped.contains(shown)) shown.remove();
  }
}
document.addEventListener("htmx:afterSwap", (event) => keepOnlyMessagesIn(event.target));
document.addEventListener("htmx:oobAfterSwap", (event) => keepOnlyMessagesIn(event.target));

// A form's one-time key (tracker/once.py) stands for one sending: a double click sends
// it twice and the server keeps one. Once a form sent with htmx is answered, the form
// stays in the page for the next, different add ("+250 ml" again), so it gets a key of
// its own now. (Without JavaScript every add leads to a new page, with new keys.)
document.addEventListener("htmx:afterRequest", (event) => {
  const key = event.detail.elt?.closest("form")?.querySelector('input[name="once"]');
  if (!key || !event.detail.successful) return;
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  key.value = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
});

// The person's clock. Sign-up fills its time zone from the browser's (the person sees
// it and can change it); a signed-in page whose browser is in another zone than the
// diary offers to switch (base.html, #zone-offer), until the person keeps theirs.
function browserTimeZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return "";
  }
}

// "GMT-08:00" for a zone now; "" for a zone this browser does not know.
function offsetNow(zone) {
  try {
    const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
    return format.formatToParts(new Date()).find((part) => part.type === "timeZoneName")?.value || "";
  } catch {
    return "";
  }
}

const KEPT_ZONE = "cramp-tracker-kept-zone";

document.addEventListener("DOMContentLoaded", () => {
  const zone = browserTimeZone();
  if (!zone) return;
  for (const select of document.querySelectorAll('select[data-browser-zone="fill"]')) {
    if (!Array.from(select.options).some((option) => option.value === zone)) {
      select.add(new Option(zone.replaceAll("_", " "), zone)); // an alias the list leaves out
    }
    select.value = zone;
  }
  const offer = document.getElementById("zone-offer");
  const diaryZone = offer?.dataset.profileZone;
  if (!offer || !diaryZone || diaryZone === zone) return;
  // Another name for the same clock now (Europe/Paris in Berlin) changes no day or meal.
  if (offsetNow(diaryZone) === offsetNow(zone)) return;
  const pair = `${diaryZone} ${zone}`;
  try {
    if (localStorage.getItem(KEPT_ZONE) === pair) return;
  } catch {
    // Storage refused (a private window): offer again next time.
  }
  offer.elements.time_zone.value = zone;
  offer.querySelectorAll("[data-browser-zone-name]").forEach((name) => {
    name.textContent = zone.replaceAll("_", " ");
  });
  offer.querySelector("[data-keep-zone]").addEventListener("click", () => {
    try {
      localStorage.setItem(KEPT_ZONE, pair);
    } catch {
      // Not kept: asked again on the next page.
    }
    offer.hidden = true;
    document.getElementById("main")?.focus();
  });
  offer.hidden = false;
});

// Picking a food puts the keyboard on its amount with the amount selected, so that
// typing "2" makes it 2 (not 21 with the caret before the 1).
document.addEventListener("focusin", (event) => {
  const field = event.target;
  if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-pick")) {
    field.removeAttribute("data-select-on-pick");
    field.select();
  }
});
document.addEventListener("DOMContentLoaded", () => {
  const field = document.activeElement;
  if (field instanceof HTMLInputElement && field.hasAttribute("data-select-on-pick")) {
    field.removeAttribute("data-select-on-pick");
    field.select();
  }
});

// The meal chosen in the entry form or for recent foods is the meal in use
// (#meal-in-use): the next pick starts in it, and recent foods go there.
document.addEventListener("change", (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || select.name !== "slot") return;
  if (!select.closest(".entry-form, .recent-form")) return;
  const inUse = document.getElementById("meal-in-use");
  if (inUse) inUse.value = select.value;
  const recent = document.getElementById("recent-slot");
  if (recent && recent !== select) recent.value = select.value;
});

// After a pick, the whole entry form (amount, meal, "Add") comes into view, not only
// the amount the focus scrolled to.
document.addEventListener("htmx:afterSettle", (event) => {
  const form = event.target instanceof Element && event.target.querySelector(".entry-form");
  if (form && event.target.id === "entry-form") form.scrollIntoView({ block: "nearest" });
});
