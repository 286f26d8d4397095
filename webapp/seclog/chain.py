"""The two hash chains: appending entries in order, and verifying what remains.

Appenders serialize on the chain's head row (an UPDATE takes the row lock on PostgreSQL and the
write lock on SQLite), and ``UNIQUE (chain, prev_hash)`` makes a fork impossible even so.

Verification walks each chain by seq. Retention deletes the oldest entries, so the oldest
remaining entry's ``prev_hash`` is trusted as the anchor (it is the hash of a purged entry, or
``"0" * 64`` for seq 1); every later link is checked, and the newest entry must equal the head.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import insert, select, update

from webapp.extensions import db
from webapp.seclog.entries import Entry, link_hash
from webapp.seclog.kinds import CHAINS
from webapp.seclog.models import GENESIS_HASH, ChainHead, SecurityEvent

EVENTS = SecurityEvent.__table__
HEADS = ChainHead.__table__
WALK_BATCH = 1000


def _lock_head(chain: str) -> tuple[int, str]:
    locked = db.session.execute(update(HEADS).where(HEADS.c.chain == chain).values(seq=HEADS.c.seq)).rowcount
    if not locked:
        db.session.execute(insert(HEADS).values(chain=chain, seq=0, hash=GENESIS_HASH))
    head = db.session.execute(select(HEADS.c.seq, HEADS.c.hash).where(HEADS.c.chain == chain)).one()
    return head.seq, head.hash


def _already_stored(entries: Sequence[Entry]) -> set[str]:
    ids = [entry.entry_id for entry in entries]
    return set(db.session.scalars(select(EVENTS.c.entry_id).where(EVENTS.c.entry_id.in_(ids))))


def append(entries: Sequence[Entry]) -> int:
    """Append ``entries`` to their chains in this order, in the current transaction (the caller
    commits). An entry whose id is already stored is skipped: a retried batch adds nothing twice."""
    if not entries:
        return 0
    heads = {chain: _lock_head(chain) for chain in sorted({entry.chain for entry in entries})}
    seen = _already_stored(entries)
    rows = []
    for entry in entries:
        if entry.entry_id in seen:
            continue
        seen.add(entry.entry_id)
        seq, prev_hash = heads[entry.chain]
        row = entry.as_row(seq + 1, prev_hash)
        heads[entry.chain] = (seq + 1, row["hash"])
        rows.append(row)
    if rows:
        db.session.execute(insert(EVENTS), rows)
        for chain, (seq, digest) in heads.items():
            db.session.execute(update(HEADS).where(HEADS.c.chain == chain).values(seq=seq, hash=digest))
    return len(rows)


@dataclass(frozen=True)
class Break:
    chain: str
    seq: int
    reason: str


@dataclass
class ChainReport:
    chain: str
    count: int = 0
    first_seq: int | None = None
    last_seq: int | None = None
    broken: Break | None = None


@dataclass
class Verdict:
    reports: list[ChainReport] = field(default_factory=list)

    @property
    def broken(self) -> Break | None:
        return next((report.broken for report in self.reports if report.broken), None)

    @property
    def ok(self) -> bool:
        return self.broken is None

    @property
    def count(self) -> int:
        return sum(report.count for report in self.reports)


def _walk(chain: str, up_to: int) -> Iterator:
    last = 0
    while True:
        rows = db.session.execute(
            select(EVENTS).where(EVENTS.c.chain == chain, EVENTS.c.seq > last, EVENTS.c.seq <= up_to)
            .order_by(EVENTS.c.seq).limit(WALK_BATCH)
        ).mappings().all()
        if not rows:
            return
        yield from rows
        last = rows[-1]["seq"]


def _link_problem(prev, row) -> str | None:
    if prev is None and row["seq"] == 1 and row["prev_hash"] != GENESIS_HASH:
        return "the first entry does not start from the genesis hash"
    if prev is not None and row["seq"] != prev["seq"] + 1:
        return f"entries {prev['seq'] + 1}..{row['seq'] - 1} are missing"
    if prev is not None and row["prev_hash"] != prev["hash"]:
        return "prev_hash does not match the previous entry"
    if link_hash(row["prev_hash"], row) != row["hash"]:
        return "hash mismatch: the entry was altered"
    return None


def verify_chain(chain: str) -> ChainReport:
    """Check every link of one chain from its oldest remaining entry (the trusted anchor) up to the
    head read first, so entries appended meanwhile are left for the next run."""
    report = ChainReport(chain)
    head = db.session.execute(select(HEADS.c.seq, HEADS.c.hash).where(HEADS.c.chain == chain)).one_or_none()
    head_seq, head_hash = head if head is not None else (0, GENESIS_HASH)
    prev = None
    for row in _walk(chain, head_seq):
        problem = _link_problem(prev, row)
        if problem:
            report.broken = Break(chain, row["seq"], problem)
            return report
        report.count += 1
        report.first_seq = report.first_seq or row["seq"]
        report.last_seq, prev = row["seq"], row
    if prev is not None and (prev["seq"], prev["hash"]) != (head_seq, head_hash):
        report.broken = Break(chain, head_seq, "the newest entries are missing or the chain head was altered")
    return report


def verify() -> Verdict:
    """Verify both chains; ``Verdict.broken`` is the first broken link found, if any."""
    return Verdict([verify_chain(chain) for chain in CHAINS])


def heads() -> dict[str, dict]:
    """Each chain's last seq and hash (for an outside witness, e.g. the application log)."""
    rows = db.session.execute(select(HEADS.c.chain, HEADS.c.seq, HEADS.c.hash)).all()
    return {row.chain: {"seq": row.seq, "hash": row.hash} for row in rows}
