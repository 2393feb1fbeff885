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
