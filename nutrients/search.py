"""What a search query means, as plain functions: no ORM here.

FoodQuerySet.search() asks the database once for the hints that fit the query (synonyms,
everyday foods named by the whole query, and vocabulary words near each query word),
then uses plan_search() to turn query and hints into groups of alternatives:

    "yoghurt bananna" → [[["yoghurt"], ["yogurt"]], [["bananna"], ["banana"]]]

A food matches when, for every group, it holds every word of one of the group's
alternatives as the start of a word. The same code runs on SQLite and PostgreSQL.

Typo correction is done here, in Python, over the vocabulary of the shared food table
(about 2,800 words for SR Legacy), and only for a word that starts no word of the
vocabulary at all: the plain prefix search would find nothing with it.
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

# One letter matches a large part of any food table and helps nobody choose.
SEARCH_MIN_LENGTH = 2
# A query is cut to this many characters and words before anything else: longer input
# is no search people type, and every word adds work to each row's test.
SEARCH_MAX_LENGTH = 100
MAX_QUERY_WORDS = 8
# Synonym terms are at most this many words long ("semi skimmed milk").
MAX_TERM_WORDS = 3
# Words shorter than this are never corrected: "tea" is one letter from "pea".
MIN_TYPO_WORD_LENGTH = 4
# Corrections offered for one misspelt word, the nearest first.
MAX_CORRECTIONS = 2
# A barcode is 8 (EAN-8), 12 (UPC-A), 13 (EAN-13) or 14 (GTIN-14) digits.
BARCODE_LENGTHS = (8, 12, 13, 14)

# How people say a food was cooked, and the words FoodData Central writes for it: each
# also finds foods holding one of these ("grilled salmon" → "salmon, cooked, dry heat";
# "boiled rice" → "rice, cooked"; "steamed broccoli" → "broccoli, cooked, boiled").
COOKING_WORDS: dict[str, tuple[str, ...]] = {
    "grilled": ("broiled", "grilled", "dry heat", "roasted"),
    "grill": ("broiled", "grilled", "dry heat", "roasted"),
    "barbecued": ("broiled", "grilled", "dry heat", "roasted"),
    "bbq": ("broiled", "grilled", "dry heat", "roasted"),
    "baked": ("baked", "roasted", "dry heat"),
    "roast": ("roasted", "baked", "dry heat"),
    "roasted": ("roasted", "baked", "dry heat"),
    "boiled": ("boiled", "cooked"),
    "steamed": ("steamed", "boiled", "cooked"),
    "poached": ("poached", "moist heat", "boiled"),
    "fried": ("fried",),
    "pan fried": ("fried",),
    "stir fried": ("fried", "cooked"),
    "scrambled": ("scrambled",),
    "stewed": ("stewed", "braised", "moist heat"),
    "braised": ("braised", "moist heat"),
    "sauteed": ("sauteed", "fried", "cooked"),
}
# Food words people type that the shipped table lacks (café drinks, foods it has no row
# for): never "corrected" into an unrelated food ("latte" is no late-harvest wine, "skyr"
# no toffee bar). They find a user's own food, a dish, or "nothing matches".
NOT_TYPOS = frozenset(
    (
        "latte", "lattes", "cappuccino", "cappuccinos", "macchiato", "mocha", "americano",
        "frappuccino", "flat white", "cortado", "matcha", "chai", "kombucha", "skyr",
        "quark", "halloumi", "paneer", "ghee", "seitan", "muesli", "kimchi", "tempeh",
        "miso", "ramen", "pho", "acai", "poke", "bircher", "overnight", "shakshuka",
        "tabbouleh", "tzatziki", "labneh", "dal", "dhal", "roti", "naan", "chapati",
    )
)  # fmt: skip


# USDA's notes in brackets: "(Includes foods for USDA's Food Distribution Program)",
# "(includes soft bread crumbs)". True, and clutter in a list a person scans.
USDA_NOTE = re.compile(r"\s*\((?:includes|include)\b[^()]*\)", re.IGNORECASE)


def short_name(description: str) -> str:
    """A food's name for lists: its description without USDA's "(Includes …)" notes.
    The full description stays on the food's own form and in exports."""
    return USDA_NOTE.sub("", description).strip() or description


def search_text(text: str) -> str:
    """Lower-case, accent-free words separated by single spaces, with a leading space.

    The leading space lets " banan" match the start of any word with a plain LIKE, the
    same on SQLite and PostgreSQL.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    words = "".join(ch if ch.isalnum() else " " for ch in plain).split()
    return " " + " ".join(words)


def query_words(query: str) -> list[str]:
    """The words of a query as search_text() writes them, cut to the limits above."""
    return search_text(query[:SEARCH_MAX_LENGTH]).split()[:MAX_QUERY_WORDS]


def singular_prefix(word: str) -> str:
    """The part of `word` that its singular starts with too: "sardines" → "sardine".

    Always a prefix of `word`, so folding only ever finds more foods. Words ending in
    "ss", "us" or "ies" stay as typed: "swiss", "hummus"; "cookies" cut to "cooki"
    would still miss "cookie", and cut to "cook" would find every cooked food.
    """
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "ies")):
        return word
    if word.endswith("oes"):  # potatoes → potato
        return word[:-2]
    return word[:-1]


def term_key(text: str) -> str:
    """How a synonym or everyday term is looked up: its words, each singular-folded.

    "Prawns" and "prawn" both give "prawn", so one row serves both.
    """
    return " ".join(singular_prefix(word) for word in search_text(text).split())


def barcode(words: list[str]) -> str | None:
    """The digits of a barcode typed or pasted ("0 12345 67890 5"), else None."""
    digits = "".join(words)
    if digits.isascii() and digits.isdigit() and len(digits) in BARCODE_LENGTHS:
        return digits
    return None


def barcode_forms(digits: str) -> list[str]:
    """The ways one product's GTIN is written: UPC-A, EAN-13 and GTIN-14 differ only in
    leading zeros, and data sources keep whichever they were given."""
    core = digits.lstrip("0")
    forms = {digits}
    for length in BARCODE_LENGTHS:
        if len(core) <= length:
            forms.add(core.zfill(length))
    return sorted(forms)


def term_spans(words: list[str]) -> list[str]:
    """Every run of up to MAX_TERM_WORDS folded words, as term_key() writes terms."""
    folded = [singular_prefix(word) for word in words]
    return sorted(
        {
            " ".join(folded[start:end])
            for start in range(len(folded))
            for end in range(start + 1, min(start + MAX_TERM_WORDS, len(folded)) + 1)
        }
    )


def max_edits(word: str) -> int:
    """Typos forgiven in a word: one in a short word, two from eight letters up."""
    if len(word) < MIN_TYPO_WORD_LENGTH:
        return 0
    return 1 if len(word) < 8 else 2


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (insert, delete, substitute, swap two
    neighbours), or limit + 1 as soon as it must exceed limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def vocabulary_filter(words: list[str]) -> list[tuple[str, str, int, int]]:
    """For each word that may need correcting: (its folded prefix, first letter, shortest
    and longest length of a candidate). The database returns the vocabulary words that
    start with the prefix (the word is known) or are candidates (same first letter, a
    length in range)."""
    wanted = []
    for word in words:
        edits = max_edits(word)
        if edits:
            # Up to 3 letters more: a plural ("strawbery" → "strawberries").
            longest = len(word) + edits + 3
            wanted.append((singular_prefix(word), word[0], len(word) - edits, longest))
    return wanted


def singular_forms(word: str) -> set[str]:
    """word and its singulars: "strawberries" → strawberry; "bananas" → banana."""
    forms = {word}
    if word.endswith("ies") and len(word) > 4:
        forms.add(word[:-3] + "y")
    if word.endswith("es") and len(word) > 4:
        forms.add(word[:-2])
    if word.endswith("s") and len(word) > 3:
        forms.add(word[:-1])
    return forms


def corrections(word: str, vocabulary: dict[str, int]) -> list[str]:
    """Vocabulary words within max_edits(word) of word, nearest then commonest first.

    vocabulary: word → how many foods hold it. Empty when word starts a vocabulary word
    or is a food word the table lacks (NOT_TYPOS): it is no typo; or when nothing is near.
    Synonym terms never get here (plan_search).
    """
    prefix = singular_prefix(word)
    if word in NOT_TYPOS or any(known.startswith(prefix) for known in vocabulary):
        return []
    limit = max_edits(word)
    near = []
    for candidate, foods in vocabulary.items():
        if candidate[0] != word[0]:
            continue
        distance = min(edit_distance(word, form, limit) for form in singular_forms(candidate))
        if distance <= limit:
            near.append((distance, -foods, candidate))
    return [candidate for _, _, candidate in sorted(near)[:MAX_CORRECTIONS]]


@dataclass
class SearchPlan:
    """groups: for each part of the query, its alternatives, each a list of words that
    must all start a word of the food. term_food_ids: the everyday foods the whole query
    names ("coffee" → brewed coffee), found even when their description lacks the words.
    """

    groups: list[list[list[str]]]
    term_food_ids: list[int] = field(default_factory=list)
    corrected: dict[str, list[str]] = field(default_factory=dict)


def plan_search(
    words: list[str],
    synonyms: Iterable[tuple[str, str]],
    term_food_ids: Iterable[int],
    vocabulary: dict[str, int],
) -> SearchPlan:
    """Groups of alternatives for words, from the hints the database returned.

    synonyms: (term key, what it means) for the term spans of the query. A span of the
    query that is a synonym term or a cooking word (COOKING_WORDS) becomes one group: the
    words as typed, or what the term means. Other words are a group each: the word as typed, and its typo corrections
    when it starts no word of the vocabulary. The word as typed always stays, so that a
    user's own food with a word the shared table lacks is still found.
    """
    means: dict[str, list[list[str]]] = {}
    for key, meaning in synonyms:
        means.setdefault(key, []).append(search_text(meaning).split())
    for key, cooked in COOKING_WORDS.items():  # staff's synonyms of the same words win
        if key not in means:
            means[key] = [search_text(words).split() for words in cooked]
    folded = [singular_prefix(word) for word in words]
    groups: list[list[list[str]]] = []
    corrected: dict[str, list[str]] = {}
    start = 0
    while start < len(words):
        # The longest synonym term starting here wins: "skimmed milk" over "milk".
        for end in range(min(start + MAX_TERM_WORDS, len(words)), start, -1):
            key = " ".join(folded[start:end])
            if key in means:
                groups.append([words[start:end], *means[key]])
                start = end
                break
        else:
            word = words[start]
            fixes = corrections(word, vocabulary) if vocabulary else []
            if fixes:
                corrected[word] = fixes
            groups.append([[word]] + [[fix] for fix in fixes])
            start += 1
    return SearchPlan(groups=groups, term_food_ids=sorted(set(term_food_ids)), corrected=corrected)
