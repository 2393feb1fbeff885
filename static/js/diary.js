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

// Saving one row's form re-draws the list or the day around it. A row still open for
// editing elsewhere (an entry, a cramp, a supplement) keeps what was typed in it: it is
// put back in place of its fresh copy, unless that row is gone.
let openEditors = [];
document.addEventListener("htmx:beforeSwap", (event) => {
  const asking = event.detail.requestConfig?.elt?.closest("li[id]");
  openEditors = Array.from(event.detail.target.querySelectorAll("li[id]")).filter(
    // (A selector matches ancestors too: the row itself may be the .row-edit.)
    (row) => row !== asking && row.querySelector(".row-edit form, .entry-edit form"),
  );
});
document.addEventListener("htmx:afterSwap", () => {
  for (const editor of openEditors) {
    const fresh = document.getElementById(editor.id);
    if (!fresh || fresh === editor) continue;
    // The focus goes where the answer says, not back into a form left open.
    editor.querySelectorAll("[autofocus]").forEach((field) => field.removeAttribute("autofocus"));
    fresh.replaceWith(editor);
  }
  openEditors = [];
});

// Messages an htmx answer brings replace those shown before ("Welcome…" from the page
// load, "Added…" from the last change), so that one box says what just happened.
document.addEventListener("htmx:afterSwap", (event) => {
  const swapped = event.target;
  if (!(swapped instanceof Element) || !swapped.querySelector(".messages")) return;
  for (const shown of document.querySelectorAll(".messages")) {
    if (!swapped.contains(shown)) shown.remove();
  }
});
