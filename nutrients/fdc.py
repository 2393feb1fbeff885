"""Read a FoodData Central CSV download into Nutrient, Food, FoodNutrient and Portion rows.

A download is a folder of CSV files or the .zip as downloaded from FoodData Central (in a
zip the files may sit inside a subfolder). The same code reads every FDC data type:
SR Legacy, Foundation, Survey (FNDDS) and Branded.

How it works, and why:

- The files are streamed row by row with the csv module and written in batches of a few
  thousand rows, so memory stays flat however big the download. What is kept in memory
  is small: the nutrient, category and unit tables (a few hundred rows each), a map
  fdc_id → Food pk for the imported foods, and one bit per id to report duplicate ids.
- Every row is validated as it is read. A bad cell stops the import with an FdcError
  that names the file, the line and the column.
- One run is one transaction: an error anywhere rolls back everything, so a database
  never holds half a download.
- Rows are upserted (INSERT … ON CONFLICT DO UPDATE; amounts in plain SQL, the rest
  through bulk_create): foods by fdc_id, amounts by (food, nutrient), portions by
  (food, seq). A second import of the same download updates values in place and adds
  nothing.
"""

import csv
import time
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path, PurePosixPath
from types import TracebackType

from django.db import connection, reset_queries, transaction

from nutrients.models import (
    SEARCH_TEXT_MAX_LENGTH,
    Food,
    FoodNutrient,
    Nutrient,
    Portion,
    food_values_changed,
    search_text,
    search_text_fits,
)
from nutrients.numbers import plain

REQUIRED_FILES = ("food.csv", "nutrient.csv", "food_nutrient.csv")

TOO_LONG_FOR_SEARCH = (
    f"is longer than {SEARCH_TEXT_MAX_LENGTH} characters once normalised for the search"
)

# Rows per bulk write: big enough that per-statement overhead vanishes, small enough that
# a batch of Food objects stays far below PostgreSQL's 65,535 query parameters.
BATCH_ROWS = 5_000
PROGRESS_EVERY_ROWS = 50_000

# Ids land in PositiveIntegerField columns: 32-bit signed integers on PostgreSQL.
MAX_ID = 2**31 - 1
# FoodNutrient.amount is DecimalField(max_digits=15, decimal_places=6): nine whole digits;
# FDC's own values have at most three decimals.
# Portion.grams is DecimalField(max_digits=10, decimal_places=3).
THOUSANDTHS = Decimal("0.001")
AMOUNT_LIMIT = Decimal(10) ** 9
GRAMS_LIMIT = Decimal(10) ** 7

# FDC writes units in upper case (MG, UG, KCAL); the product shows them as people write
# them. Units not listed here are lower-cased.
UNIT_DISPLAY = {"UG": "µg", "IU": "IU"}
# A nutrient without a rank goes after the ranked ones.
UNRANKED_DISPLAY_ORDER = 999_999
# Branded serving sizes come in grams or millilitres (GRM and MLT in older files).
# Millilitres count as grams: close enough for drinks, which are mostly water.
SERVING_UNITS_AS_GRAMS = {"g", "grm", "ml", "mlt"}
UNDETERMINED_UNIT = "undetermined"

Progress = Callable[[str], None]


class FdcError(Exception):
    """Bad input: a message that names the file, line and column where they are known."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.column = column

    def __str__(self) -> str:
        where = self.file or ""
        if self.line is not None:
            where += f" line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        text = f"{where.strip()}: {self.message}" if where else self.message
        # Always one line, whatever a cell held.
        return " ".join(text.split())


@dataclass(frozen=True)
class ImportCounts:
    """Rows written (inserted or updated) by one import."""

    nutrients: int
    foods: int
    amounts: int
    portions: int
    rows_read: int
    seconds: float


def import_fdc(
    path: Path,
    *,
    source: str = Food.Source.FDC,
    data_type: str | None = None,
    limit: int | None = None,
    keep_fdc_ids: Collection[int] = (),
    progress: Progress | None = None,
) -> ImportCounts:
    """Import the download at path (folder or .zip) in one transaction.

    source is given to new foods. An existing food keeps its source, except that a seed
    import (source="seed") marks the foods it writes as seed foods. data_type imports only
    the foods of that FDC data type; limit only the first limit foods (after the data type
    filter). The amounts and portions of foods left out are skipped. keep_fdc_ids are
    foods to leave exactly as the database has them (staff corrected them): their rows
    in the download are read and checked, and not written.
    """
    if source not in (Food.Source.FDC, Food.Source.SEED):
        raise ValueError(f"source must be 'fdc' or 'seed', not {source!r}")
    if limit is not None and limit < 1:
        raise ValueError(f"limit must be 1 or more, not {limit}")
    report = progress or _ignore
    started = time.perf_counter()
    with Download(Path(path)) as download, transaction.atomic():
        download.require(REQUIRED_FILES)
        nutrient_ids, nutrient_rows = _import_nutrients(download, report)
        categories = _read_lookup(download, "food_category.csv", "description", max_length=150)
        unit_names = _read_lookup(download, "measure_unit.csv", "name", max_length=100)
        foods = _import_foods(
            download, source, data_type, limit, frozenset(keep_fdc_ids), categories, report
        )
        amounts, amount_rows = _import_amounts(download, foods, nutrient_ids, report)
        seqs = PortionSeqs()
        portions, portion_rows = _import_portions(download, foods, unit_names, seqs, report)
        servings, branded_rows = _import_branded(download, foods, seqs, report)
        # One UPDATE rather than a value per row: an existing food keeps its source and
        # its times logged, which the rows of the download do not know.
        Food.objects.filter(owner=None).refresh_search_rank()
        # Once, at the end: the diaries' days that hold these foods are added up again.
        food_values_changed(foods.pk_by_fdc_id.values())
    refresh_statistics()
    return ImportCounts(
        nutrients=len(nutrient_ids),
        foods=len(foods.pk_by_fdc_id),
        amounts=amounts,
        portions=portions + servings,
        rows_read=nutrient_rows + foods.rows_read + amount_rows + portion_rows + branded_rows,
        seconds=time.perf_counter() - started,
    )


def refresh_statistics() -> None:
    """Let the query planner know the food tables' new sizes after a bulk load.

    Without statistics SQLite takes "nutrient_id IN (…)" for a selective filter and reads
    every food's amounts of those nutrients to add up one day; PostgreSQL's autovacuum
    would get there too, but only some time later.
    """
    with connection.cursor() as cursor:
        for model in (Food, FoodNutrient, Portion):
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _ignore(message: str) -> None:
    pass


def _forget_logged_queries() -> None:
    """Drop the SQL that Django keeps of each query when DEBUG is on.

    Called after each batch: a batch's SQL holds thousands of values, and Django keeps the
    last 9,000 queries, which for a big download would be gigabytes.
    """
    reset_queries()


# --- Reading files ------------------------------------------------------------------------


class Download:
    """The CSV files of one download: a folder, or a .zip holding them anywhere inside."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._zip: zipfile.ZipFile | None = None
        # For a zip: each file's base name → the member names that have it.
        self._members: dict[str, list[str]] = {}
        if not path.exists():
            raise FdcError(f"{path} does not exist")
        if path.is_dir():
            return
        if not zipfile.is_zipfile(path):
            raise FdcError(f"{path} is neither a folder nor a .zip file")
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise FdcError(f"{path} is not a readable zip file ({error})") from None
        for info in self._zip.infolist():
            if not info.is_dir():
                name = PurePosixPath(info.filename).name
                self._members.setdefault(name, []).append(info.filename)

    def __enter__(self) -> "Download":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._zip is not None:
            self._zip.close()

    def has(self, name: str) -> bool:
        if self._zip is None:
            return (self.path / name).is_file()
        return name in self._members

    def require(self, names: Iterable[str]) -> None:
        """Fail before anything is written when a required file is missing."""
        for name in names:
            if not self.has(name):
                raise FdcError(f"not found in {self.path}", file=name)

    @contextmanager
    def open_binary(self, name: str) -> Iterator[Iterable[bytes]]:
        """The file's raw lines."""
        if self._zip is None:
            try:
                file = open(self.path / name, "rb")  # noqa: SIM115 (closed by the with below)
            except OSError as error:
                raise FdcError(f"cannot be read ({error.strerror})", file=name) from None
            with file:
                yield file
            return
        members = self._members[name]
        if len(members) > 1:
            raise FdcError(f"{self.path} holds {len(members)}: {', '.join(members)}", file=name)
        try:
            member = self._zip.open(members[0])
        except (zipfile.BadZipFile, RuntimeError, OSError) as error:
            raise FdcError(f"cannot be read from {self.path} ({error})", file=name) from None
        with member:
            yield member

    @contextmanager
    def rows(
        self, name: str, required: Iterable[str], optional: Iterable[str] = ()
    ) -> Iterator[Iterator["Row"]]:
        """The file's rows after the header, each checked to have the header's shape."""
        with self.open_binary(name) as lines:
            yield _read_rows(name, lines, tuple(required), tuple(optional))


def _decoded_lines(name: str, raw_lines: Iterable[bytes]) -> Iterator[str]:
    """UTF-8 lines without a byte order mark; decoding line by line puts errors on a line."""
    lines = iter(raw_lines)
    line_number = 0
    while True:
        try:
            raw = next(lines)
        except StopIteration:
            return
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise FdcError(f"cannot be read ({error})", file=name, line=line_number + 1) from None
        line_number += 1
        if line_number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FdcError(
                f"not UTF-8 text (byte 0x{raw[error.start]:02x} at character {error.start + 1})",
                file=name,
                line=line_number,
            ) from None


def _read_rows(
    name: str, raw_lines: Iterable[bytes], required: tuple[str, ...], optional: tuple[str, ...]
) -> Iterator["Row"]:
    # strict=True turns an unterminated quote (a truncated file) into an error instead of
    # a silently shortened last field. Lines keep their "\r\n", which csv handles.
    reader = csv.reader(_decoded_lines(name, raw_lines), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise FdcError("is empty: no header row", file=name, line=1)
        columns = [column.strip() for column in header]
        for column in required:
            if column not in columns:
                raise FdcError("missing from the header", file=name, line=1, column=column)
        index = {
            column: columns.index(column) for column in (*required, *optional) if column in columns
        }
        for values in reader:
            if not values:
                continue  # a blank line, as at the end of some files
            if len(values) != len(columns):
                _wrong_shape(name, reader.line_num, columns, len(values))
            yield Row(name, reader.line_num, values, index)
    except csv.Error as error:
        raise FdcError(f"malformed CSV ({error})", file=name, line=reader.line_num) from None


def _wrong_shape(name: str, line: int, columns: list[str], field_count: int) -> None:
    if field_count < len(columns):
        raise FdcError(
            f"missing: the row has {field_count} of the header's {len(columns)} fields"
            " (a truncated file?)",
            file=name,
            line=line,
            column=columns[field_count],
        )
    raise FdcError(
        f"the row has {field_count} fields, the header {len(columns)}", file=name, line=line
    )


class Row:
    """One CSV row, read by column name, with errors that point at a cell."""

    __slots__ = ("_index", "_values", "file", "line")

    def __init__(self, file: str, line: int, values: list[str], index: dict[str, int]) -> None:
        self.file = file
        self.line = line
        self._values = values
        self._index = index

    def error(self, column: str | None, message: str) -> FdcError:
        return FdcError(message, file=self.file, line=self.line, column=column)

    def text(self, column: str, *, max_length: int | None = None) -> str:
        """The cell without surrounding spaces; "" when the file has no such column."""
        position = self._index.get(column)
        value = "" if position is None else self._values[position].strip()
        if "\x00" in value:  # PostgreSQL stores no NUL character in a text column
            raise self.error(column, f"{_shown(value)} holds a NUL character")
        if max_length is not None and len(value) > max_length:
            raise self.error(column, f"{_shown(value)} is longer than {max_length} characters")
        return value

    def identifier(self, column: str) -> int:
        """A required id: a whole number from 0 to MAX_ID."""
        value = self.text(column)
        if not value:
            raise self.error(column, "is empty, an id is needed")
        try:
            number = int(value)
        except ValueError:
            raise self.error(column, f"{_shown(value)} is not a whole number") from None
        if not 0 <= number <= MAX_ID:
            raise self.error(column, f"{value} is out of range (0 to {MAX_ID:,})")
        return number

    def number(self, column: str) -> Decimal | None:
        """A decimal number, None when the cell is empty (missing data, not zero)."""
        value = self.text(column)
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise self.error(column, f"{_shown(value)} is not a number") from None
        if not number.is_finite():
            raise self.error(column, f"{_shown(value)} is not a number")
        return number


def _shown(value: str) -> str:
    """A cell quoted for an error message, cut short when long."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


class SeenIds:
    """Which ids a file has used so far, to report duplicates.

    One bit per possible id instead of a set of ints: 30 million food_nutrient ids (a
    full Branded download) cost 4 MB here and well over a gigabyte in a set.
    """

    def __init__(self) -> None:
        self._bits = bytearray()

    def add(self, number: int) -> bool:
        """Remember number; False when it was already there."""
        byte, bit = divmod(number, 8)
        if byte >= len(self._bits):
            # Grow by doubling, so a file of rising ids costs few reallocations.
            self._bits.extend(bytes(max(byte + 1, 2 * len(self._bits)) - len(self._bits)))
        if self._bits[byte] & (1 << bit):
            return False
        self._bits[byte] |= 1 << bit
        return True

    def __contains__(self, number: int) -> bool:
        byte, bit = divmod(number, 8)
        return byte < len(self._bits) and bool(self._bits[byte] & (1 << bit))


def _unique_id(row: Row, column: str, seen: SeenIds) -> int:
    number = row.identifier(column)
    if not seen.add(number):
        raise row.error(column, f"duplicate id {number}")
    return number


def _thousandths(row: Row, column: str, value: Decimal, limit: Decimal) -> Decimal:
    """value rounded to the 3 decimal places the database keeps, checked against limit."""
    if value >= limit:
        raise row.error(column, f"{value} is too large (the limit is below {limit:,})")
    return value.quantize(THOUSANDTHS)


# --- Reference tables ---------------------------------------------------------------------


def _import_nutrients(download: Download, report: Progress) -> tuple[set[int], int]:
    """Upsert every nutrient of nutrient.csv; return their ids and the rows read."""
    nutrients: list[Nutrient] = []
    seen = SeenIds()
    with download.rows("nutrient.csv", ["id", "name", "unit_name"], ["rank"]) as rows:
        for row in rows:
            nutrients.append(
                Nutrient(
                    id=_unique_id(row, "id", seen),
                    name=row.text("name", max_length=200),
                    unit=_display_unit(row.text("unit_name", max_length=20)),
                    display_order=_display_order(row),
                )
            )
    # nutrient.csv is a reference table of a few hundred rows: one write is fine.
    Nutrient.objects.bulk_create(
        nutrients,
        batch_size=BATCH_ROWS,
        update_conflicts=True,
        unique_fields=["id"],
        update_fields=["name", "unit", "display_order"],
    )
    report(f"nutrient.csv: {len(nutrients):,} rows read, {len(nutrients):,} nutrients written")
    return {nutrient.id for nutrient in nutrients}, len(nutrients)


def _display_unit(fdc_unit: str) -> str:
    return UNIT_DISPLAY.get(fdc_unit.upper(), fdc_unit.lower())


def _display_order(row: Row) -> int:
    rank = row.number("rank")  # "600" in SR Legacy, "600.0" in some downloads
    if rank is None:
        return UNRANKED_DISPLAY_ORDER
    if rank < 0 or rank > MAX_ID:
        raise row.error("rank", f"{rank} is out of range (0 to {MAX_ID:,})")
    return int(rank)


def _read_lookup(download: Download, name: str, column: str, *, max_length: int) -> dict[str, str]:
    """id → column of an optional small reference file (food categories, measure units)."""
    if not download.has(name):
        return {}
    lookup: dict[str, str] = {}
    with download.rows(name, ["id", column]) as rows:
        for row in rows:
            key = str(row.identifier("id"))
            if key in lookup:
                raise row.error("id", f"duplicate id {key}")
            lookup[key] = row.text(column, max_length=max_length)
    return lookup


# --- Foods --------------------------------------------------------------------------------


class FoodIndex:
    """The foods of food.csv: which were imported (fdc_id → pk) and which were left out."""

    def __init__(self) -> None:
        self.pk_by_fdc_id: dict[int, int] = {}
        self.in_file = SeenIds()
        self.rows_read = 0

    def pk_for(self, row: Row) -> int | None:
        """The pk of the row's food; None when --data-type or --limit left it out."""
        fdc_id = row.identifier("fdc_id")
        pk = self.pk_by_fdc_id.get(fdc_id)
        if pk is None and fdc_id not in self.in_file:
            raise row.error("fdc_id", f"food {fdc_id} is not in food.csv")
        return pk


def _import_foods(
    download: Download,
    source: str,
    data_type: str | None,
    limit: int | None,
    keep_fdc_ids: frozenset[int],
    categories: dict[str, str],
    report: Progress,
) -> FoodIndex:
    foods = FoodIndex()
    batch: list[Food] = []
    data_types_seen: set[str] = set()
    update_fields = ["description", "category", "data_type", "search_text"]
    if source == Food.Source.SEED:
        # The seed marks its foods as seed foods even when an FDC import wrote them first.
        update_fields.append("source")

    def flush() -> None:
        written = Food.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["fdc_id"],
            update_fields=update_fields,
        )
        for food in written:
            # PostgreSQL and SQLite 3.35+ return the pk of inserted and updated rows alike.
            if food.pk is None:
                raise RuntimeError("the database did not return the pks of upserted foods")
            foods.pk_by_fdc_id[food.fdc_id] = food.pk
        batch.clear()
        _forget_logged_queries()

    columns = ["fdc_id", "data_type", "description"]
    with download.rows("food.csv", columns, ["food_category_id"]) as rows:
        for row in rows:
            foods.rows_read += 1
            fdc_id = row.identifier("fdc_id")
            if not foods.in_file.add(fdc_id):
                raise row.error("fdc_id", f"duplicate fdc_id {fdc_id}")
            description = row.text("description", max_length=255)
            if not description:
                raise row.error("description", "is empty")
            if not search_text_fits(description):
                raise row.error("description", f"{_shown(description)} {TOO_LONG_FOR_SEARCH}")
            food_data_type = row.text("data_type", max_length=40)
            data_types_seen.add(food_data_type)
            category_id = row.text("food_category_id")
            wanted = data_type is None or food_data_type == data_type
            within_limit = limit is None or len(foods.pk_by_fdc_id) + len(batch) < limit
            if not (wanted and within_limit) or fdc_id in keep_fdc_ids:
                continue  # still read to the end: every row is validated
            batch.append(
                Food(
                    fdc_id=fdc_id,
                    description=description,
                    search_text=search_text(description),
                    data_type=food_data_type,
                    # Survey foods point at WWEIA categories, which are not read: blank.
                    category=categories.get(category_id, ""),
                    source=source,
                )
            )
            if len(batch) >= BATCH_ROWS:
                flush()
            if foods.rows_read % PROGRESS_EVERY_ROWS == 0:
                _report_foods(report, foods)
    if batch:
        flush()
    _report_foods(report, foods)
    if data_type is not None and not foods.pk_by_fdc_id:
        found = ", ".join(sorted(data_types_seen)) or "none"
        raise FdcError(f"no food has data_type {data_type!r} (found: {found})", file="food.csv")
    return foods


def _report_foods(report: Progress, foods: FoodIndex) -> None:
    written = len(foods.pk_by_fdc_id)
    report(f"food.csv: {foods.rows_read:,} rows read, {written:,} foods written")


# --- Nutrient amounts ---------------------------------------------------------------------


def _import_amounts(
    download: Download, foods: FoodIndex, nutrient_ids: set[int], report: Progress
) -> tuple[int, int]:
    """Upsert the amounts per 100 g; return (amounts written, rows read)."""
    name = "food_nutrient.csv"
    # (food pk, nutrient id) → amount. Keyed by the pair because a pair repeated in one
    # statement makes PostgreSQL's upsert fail ("cannot affect row a second time").
    # A repeated pair: the last row wins.
    batch: dict[tuple[int, int], Decimal] = {}
    seen = SeenIds()
    rows_read = 0
    written = 0
    with download.rows(name, ["id", "fdc_id", "nutrient_id", "amount"]) as rows:
        for row in rows:
            rows_read += 1
            _unique_id(row, "id", seen)
            food_pk = foods.pk_for(row)
            nutrient_id = row.identifier("nutrient_id")
            if nutrient_id not in nutrient_ids:
                raise row.error("nutrient_id", f"nutrient {nutrient_id} is not in nutrient.csv")
            amount = row.number("amount")
            if amount is not None and amount < 0:
                raise row.error("amount", f"{amount} is negative")
            if food_pk is None or amount is None:
                continue  # a food left out, or missing data: no row
            batch[food_pk, nutrient_id] = _thousandths(row, "amount", amount, AMOUNT_LIMIT)
            if len(batch) >= BATCH_ROWS:
                _upsert_amounts(batch)
                written += len(batch)
                batch.clear()
            if rows_read % PROGRESS_EVERY_ROWS == 0:
                report(f"{name}: {rows_read:,} rows read, {written:,} nutrient amounts written")
    if batch:
        _upsert_amounts(batch)
        written += len(batch)
    report(f"{name}: {rows_read:,} rows read, {written:,} nutrient amounts written")
    return written, rows_read


def _upsert_amounts(amounts: dict[tuple[int, int], Decimal]) -> None:
    """Insert or update FoodNutrient rows, in plain SQL rather than bulk_create.

    food_nutrient.csv is the big file (309,433 rows in SR Legacy, tens of millions in a
    Branded download). Measured on SR Legacy, building a FoodNutrient instance per row for
    bulk_create took over half of the import's time; plain tuples cost next to nothing.
    """
    quote = connection.ops.quote_name
    table = quote(FoodNutrient._meta.db_table)
    food = quote(FoodNutrient._meta.get_field("food").column)
    nutrient = quote(FoodNutrient._meta.get_field("nutrient").column)
    amount = quote(FoodNutrient._meta.get_field("amount").column)
    upsert = f"ON CONFLICT ({food}, {nutrient}) DO UPDATE SET {amount} = EXCLUDED.{amount}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Three arrays in one statement: PostgreSQL parses and plans it once, where
            # VALUES with 15,000 parameters costs more to plan than to run.
            cursor.execute(
                f"INSERT INTO {table} ({food}, {nutrient}, {amount}) "
                "SELECT * FROM unnest(%s::bigint[], %s::integer[], %s::numeric[]) " + upsert,
                [
                    [food_pk for food_pk, _ in amounts],
                    [nutrient_id for _, nutrient_id in amounts],
                    list(amounts.values()),
                ],
            )
        else:
            cursor.executemany(
                f"INSERT INTO {table} ({food}, {nutrient}, {amount}) VALUES (%s, %s, %s) " + upsert,
                [
                    (food_pk, nutrient_id, value)
                    for (food_pk, nutrient_id), value in amounts.items()
                ],
            )
    _forget_logged_queries()


# --- Portions -----------------------------------------------------------------------------


class PortionSeqs:
    """Hands out each food's portion seq numbers, unique within the food.

    A portion keeps its file's seq_num unless it is empty or already used for that food;
    then it gets the next number after the food's highest, so portions stay in file order.
    """

    def __init__(self) -> None:
        self._used: dict[int, set[int]] = {}

    def take(self, food_pk: int, wanted: int | None) -> int:
        used = self._used.setdefault(food_pk, set())
        seq = wanted if wanted is not None and wanted not in used else max(used, default=0) + 1
        used.add(seq)
        return seq


class PortionWriter:
    """Batches portions for the upsert on (food, seq)."""

    def __init__(self) -> None:
        self.batch: list[Portion] = []
        self.written = 0

    def add(self, portion: Portion) -> None:
        self.batch.append(portion)
        if len(self.batch) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.batch:
            return
        Portion.objects.bulk_create(
            self.batch,
            update_conflicts=True,
            unique_fields=["food", "seq"],
            update_fields=["description", "grams"],
        )
        self.written += len(self.batch)
        self.batch.clear()
        _forget_logged_queries()


def _import_portions(
    download: Download,
    foods: FoodIndex,
    unit_names: dict[str, str],
    seqs: PortionSeqs,
    report: Progress,
) -> tuple[int, int]:
    """Upsert the household measures of food_portion.csv; return (written, rows read)."""
    name = "food_portion.csv"
    if not download.has(name):
        return 0, 0
    writer = PortionWriter()
    seen = SeenIds()
    rows_read = 0
    optional = ["id", "seq_num", "amount", "measure_unit_id", "portion_description", "modifier"]
    with download.rows(name, ["fdc_id", "gram_weight"], optional) as rows:
        for row in rows:
            rows_read += 1
            if row.text("id"):
                _unique_id(row, "id", seen)
            food_pk = foods.pk_for(row)
            seq_num = row.identifier("seq_num") if row.text("seq_num") else None
            description = _portion_description(row, unit_names)
            gram_weight = row.number("gram_weight")
            if gram_weight is None:
                continue  # a measure without a weight cannot turn into grams: no row
            grams = _positive_grams(row, "gram_weight", gram_weight)
            if food_pk is None:
                continue
            seq = seqs.take(food_pk, seq_num)
            writer.add(Portion(food_id=food_pk, seq=seq, description=description, grams=grams))
            if rows_read % PROGRESS_EVERY_ROWS == 0:
                report(f"{name}: {rows_read:,} rows read, {writer.written:,} portions written")
    writer.flush()
    report(f"{name}: {rows_read:,} rows read, {writer.written:,} portions written")
    return writer.written, rows_read


def _portion_description(row: Row, unit_names: dict[str, str]) -> str:
    """portion_description when given, else amount + unit (unless undetermined) + modifier."""
    given = row.text("portion_description", max_length=255)
    if given:
        return given
    amount = row.number("amount")
    if amount is not None and amount < 0:
        raise row.error("amount", f"{amount} is negative")
    unit = unit_names.get(row.text("measure_unit_id"), "")
    if unit.lower() == UNDETERMINED_UNIT:
        unit = ""
    parts = [plain(amount) if amount is not None else "", unit, row.text("modifier")]
    description = " ".join(part for part in parts if part)
    if not description:
        raise row.error("portion_description", "is empty, and so are amount, unit and modifier")
    if len(description) > 255:
        raise row.error("modifier", f"{_shown(description)} is longer than 255 characters")
    return description


def _positive_grams(row: Row, column: str, value: Decimal) -> Decimal:
    if value <= 0:
        raise row.error(column, f"{value} is not a positive weight")
    grams = _thousandths(row, column, value, GRAMS_LIMIT)
    if grams == 0:
        raise row.error(column, f"{value} rounds to 0 g")
    return grams


# --- Branded foods ------------------------------------------------------------------------


def _import_branded(
    download: Download, foods: FoodIndex, seqs: PortionSeqs, report: Progress
) -> tuple[int, int]:
    """Brand, barcode and category from branded_food.csv, and the serving as a portion.

    Returns (portions written, rows read).
    """
    name = "branded_food.csv"
    if not download.has(name):
        return 0, 0
    writer = PortionWriter()
    # Two lists because bulk_update sets the same fields on every object: a blank
    # branded_food_category leaves the category from food.csv alone.
    with_category: list[Food] = []
    without_category: list[Food] = []
    rows_read = 0

    def flush() -> None:
        Food.objects.bulk_update(with_category, ["brand_owner", "gtin", "category"])
        Food.objects.bulk_update(without_category, ["brand_owner", "gtin"])
        with_category.clear()
        without_category.clear()
        _forget_logged_queries()

    optional = [
        "brand_owner",
        "gtin_upc",
        "serving_size",
        "serving_size_unit",
        "household_serving_fulltext",
        "branded_food_category",
    ]
    with download.rows(name, ["fdc_id"], optional) as rows:
        for row in rows:
            rows_read += 1
            food_pk = foods.pk_for(row)
            brand_owner = row.text("brand_owner", max_length=255)
            gtin = row.text("gtin_upc", max_length=20)  # text: leading zeros are part of it
            category = row.text("branded_food_category", max_length=150)
            serving = _serving(row)
            if food_pk is None:
                continue
            food = Food(pk=food_pk, brand_owner=brand_owner, gtin=gtin, category=category)
            (with_category if category else without_category).append(food)
            if serving is not None:
                description, grams = serving
                seq = seqs.take(food_pk, None)
                writer.add(Portion(food_id=food_pk, seq=seq, description=description, grams=grams))
            if len(with_category) + len(without_category) >= BATCH_ROWS:
                flush()
            if rows_read % PROGRESS_EVERY_ROWS == 0:
                report(f"{name}: {rows_read:,} rows read, {writer.written:,} servings written")
    flush()
    writer.flush()
    report(f"{name}: {rows_read:,} rows read, {writer.written:,} servings written")
    return writer.written, rows_read


def _serving(row: Row) -> tuple[str, Decimal] | None:
    """(description, grams) of a branded food's serving; None when it is not in g or ml."""
    size = row.number("serving_size")
    unit = row.text("serving_size_unit")
    if size is None or unit.lower() not in SERVING_UNITS_AS_GRAMS:
        return None
    grams = _positive_grams(row, "serving_size", size)
    description = row.text("household_serving_fulltext", max_length=255) or "1 serving"
    return description, grams
