"""Active search at a million contacts: the page's candidates, found branch by branch.

A search matches a prefix of the last name, the first name, the e-mail address or a company
name, or digits of the phone number. One ``WHERE a OR b OR ...`` under ``ORDER BY name LIMIT``
leaves PostgreSQL two bad plans for a common term: walk the name index until 51 rows match
(seconds when the matches sort late, e.g. "varga"), or fetch and sort every match. So each
branch finds its own first page (``ORDER BY ... LIMIT``), with the index that suits it:

- last name, sorted by name: ranges of the name index for the term's case variants
  (``last_name >= 'Va' AND last_name < 'Vb'``, one scan per variant, merged in order), only
  where the database compares text byte-wise (``C`` collations, SQLite), where these ranges hold
  exactly the strings that start so; elsewhere the plain ``ILIKE`` (the trigram index);
- e-mail, first name: ranges of the live (tenant, e-mail, name) and (tenant, first name, name)
  indexes in the same way, index-only, then the first rows by name (the trigram index would
  also return every address with the term after a dot, e.g. "anna.varga@...", only to drop
  them), or the name index walked in order, whichever the planner estimates cheaper;
- phone digits: the trigram GIN index (migration 0014);
- company: the contacts of the matching companies.

The page is then the first rows, in list order, of the union of these candidates (each of them
matches); every SELECT here is tenant-scoped like any other.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from sqlalchemy import func, literal, select, tuple_, union_all

from webapp.crm.models import Company, Contact
from webapp.extensions import db

VARIANT_CHARS = 2  # case variants of the first characters: at most 2**2 range scans per column
MAX_TERM = 100
# Characters whose lower case is an ASCII letter although they are not one (PostgreSQL's ILIKE
# lowercases both sides): the Kelvin and Angstrom signs. Listed so the ranges stay exact.
EXTRA_VARIANTS = {"k": ("\u212a",), "å": ("\u212b",)}
BYTEWISE_COLLATIONS = ("C", "POSIX", "C.UTF-8", "C.utf8", "ucs_basic")


def _escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _variants(char: str) -> set[str]:
    found = {char, char.lower(), char.upper()} | set(EXTRA_VARIANTS.get(char.lower(), ()))
    return {v for v in found if len(v) == 1}


def prefix_ranges(term: str) -> list[tuple[str, str]] | None:
    """[(low, high)]: byte-wise, a string starts with a case variant of the term's head iff it is in one range."""
    head = term[:VARIANT_CHARS]
    if not head or any(ord(ch) >= 0x10FFFF for ch in head):
        return None
    ranges = []
    for chars in product(*(sorted(_variants(ch)) for ch in head)):
        low = "".join(chars)
        ranges.append((low, low[:-1] + chr(ord(low[-1]) + 1)))
    return ranges


@lru_cache(maxsize=8)
def _bytewise(dialect: str, collation: str | None) -> bool:
    return dialect == "sqlite" or (collation or "") in BYTEWISE_COLLATIONS


def _collation() -> tuple[str, str | None]:
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        return connection.dialect.name, None
    return "postgresql", _database_collation(connection.engine.url.render_as_string(hide_password=True))


_COLLATIONS: dict[str, str] = {}


def _database_collation(key: str) -> str:
    if key not in _COLLATIONS:
        _COLLATIONS[key] = db.session.execute(db.text(
            "SELECT datcollate FROM pg_database WHERE datname = current_database()")).scalar() or ""
    return _COLLATIONS[key]


def _first_page(condition, columns, descending: bool, after: tuple | None, limit: int):
    statement = select(Contact.id).where(Contact.deleted_at.is_(None), condition)
    if after is not None:
        key = tuple_(*columns)
        statement = statement.where(key < after if descending else key > after)
    order = [c.desc() if descending else c.asc() for c in columns]
    return select(statement.order_by(*order).limit(limit).subquery().c.id)


def _unindexed_ilike(column, like: str):
    """``column ILIKE like`` written so the trigram index cannot serve it (PostgreSQL's ILIKE is
    ``lower() LIKE lower()``): the planner then walks the ordered B-tree range and stops early."""
    return func.lower(column).like(func.lower(literal(like)), escape="\\")


def _in_ranges(column, like: str, ranges: list[tuple[str, str]]) -> list:
    return [_unindexed_ilike(column, like) & (column >= low) & (column < high) for low, high in ranges]


def candidates(query: str, columns, descending: bool, after: tuple | None, limit: int):
    """A SELECT of ids holding the first ``limit`` matches (in the list's order) after ``after``."""
    term = query.strip().lower()[:MAX_TERM]
    like = _escape(term) + "%"
    last_name = [Contact.last_name.ilike(like, escape="\\")]
    by_name = columns[0] is Contact.last_name and not descending
    email = [Contact.email.ilike(like, escape="\\")]
    ranges = prefix_ranges(term) if _bytewise(*_collation()) else None
    if ranges:
        email = _in_ranges(Contact.email, like, ranges)  # the (tenant, email) index, not the trigram one
    if ranges and by_name:  # each range scan of the name index is in list order: it stops after ``limit``
        last_name = _in_ranges(Contact.last_name, like, ranges)
    first_name = [Contact.first_name.ilike(like, escape="\\")]
    if ranges:
        first_name = _in_ranges(Contact.first_name, like, ranges)  # the (tenant, first name, name) index
    conditions = [*last_name, *first_name, *email,
                  Contact.company_id.in_(select(Company.id).where(Company.name.ilike(like, escape="\\")))]
    digits = "".join(ch for ch in term if ch.isdigit())
    if len(digits) >= 3:
        conditions.append(Contact.phone.like(f"%{digits}%"))
    return union_all(*(_first_page(c, columns, descending, after, limit) for c in conditions))
