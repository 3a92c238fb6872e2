"""Group records into persons: connected components with cannot-links.

Sure pairs are merged transitively (union-find). A chain of sure pairs must
never put two records into one person that are known to be different (two
guardians of one source row, a pair judged different, a user's "verschieden").
Components holding such a conflict are rebuilt greedily: merges in the order
of their strength (user decisions first, then by score), and a merge that
would join two known-different records is refused and returned, so the caller
can report it for review.

Person ids are content hashes: ``P`` plus ten hex digits of the smallest row
fingerprint of the person. They stay the same when rows of other people are
added or the rows come in another order.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import polars as pl


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _constrained(
    edges: list[tuple[int, int]],
    forbidden: dict[int, set[int]],
    uf: _UnionFind,
) -> list[tuple[int, int]]:
    """Merge ``edges`` in order, refusing merges that join forbidden records."""
    members: dict[int, set[int]] = {}
    banned: dict[int, set[int]] = {}
    refused = []
    for a, b in edges:
        ra, rb = uf.find(a), uf.find(b)
        if ra == rb:
            continue
        mem_a = members.setdefault(ra, {ra})
        mem_b = members.setdefault(rb, {rb})
        ban_a = banned.setdefault(ra, set(forbidden.get(ra, ())))
        ban_b = banned.setdefault(rb, set(forbidden.get(rb, ())))
        if ban_a & mem_b or ban_b & mem_a:
            refused.append((a, b))
            continue
        uf.union(ra, rb)
        root = uf.find(ra)
        members[root] = mem_a | mem_b
        banned[root] = ban_a | ban_b
    return refused


def _roots(uf: _UnionFind) -> pl.Series:
    """Return the root of every item: pointer jumping in polars, not ``find``."""
    parent = pl.Series("_comp", uf.parent, dtype=pl.UInt32)
    while True:
        above = parent.gather(parent)
        if above.equals(parent):
            return parent
        parent = above


def cluster_records(
    n_records: int, merges: pl.DataFrame, cannot: pl.DataFrame
) -> tuple[pl.Series, pl.DataFrame]:
    """Return the component (smallest record number) of each record.

    Parameters
    ----------
    n_records
        Records are numbered ``0 .. n_records - 1``.
    merges
        Pairs to merge: ``rec_a``, ``rec_b``, ``prioritaet`` (higher first).
    cannot
        Pairs that must end in different components: ``rec_a``, ``rec_b``.

    Returns
    -------
    The component of every record (``_comp``, indexed by record number), and
    the refused merges (``rec_a``, ``rec_b``).
    """
    ordered = merges.sort(
        ["prioritaet", "rec_a", "rec_b"], descending=[True, False, False]
    ).select("rec_a", "rec_b")
    uf = _UnionFind(n_records)
    for a, b in ordered.iter_rows():
        uf.union(a, b)
    comp = _roots(uf)

    # components holding a cannot-link pair are rebuilt under the constraint
    inside = cannot.filter(
        comp.gather(cannot["rec_a"]) == comp.gather(cannot["rec_b"])
    ).select("rec_a", "rec_b")
    refused: list[tuple[int, int]] = []
    if inside.height:
        bad = comp.gather(inside["rec_a"]).unique().implode()
        forbidden: dict[int, set[int]] = defaultdict(set)
        for a, b in inside.iter_rows():
            forbidden[a].add(b)
            forbidden[b].add(a)
        affected = pl.int_range(n_records, dtype=pl.UInt32, eager=True).filter(
            comp.is_in(bad)
        )
        for i in affected.to_list():
            uf.parent[i] = i
        inner = ordered.filter(comp.gather(ordered["rec_a"]).is_in(bad))
        refused = _constrained(list(inner.iter_rows()), forbidden, uf)
        comp = _roots(uf)
    table = pl.DataFrame(
        refused, schema={"rec_a": pl.UInt32, "rec_b": pl.UInt32}, orient="row"
    )
    return comp, table


def person_ids(rows: pl.DataFrame) -> pl.DataFrame:
    """Name each component by a hash of its smallest fingerprint.

    ``rows`` holds ``_comp`` and ``_k_fp`` (and ``_k_addr``, ``_k_email``,
    ``_k_tel`` to break ties). Returns ``_comp`` → ``person``. Two components
    with the same smallest fingerprint (two guardians of one source row with
    the same name) get the suffixes ``-2``, ``-3`` … in content order.
    """
    seeds = rows.group_by("_comp").agg(pl.col("_k_fp").min().alias("_seed"))
    # nearly every seed is distinct: hash the column directly, no lookup table
    base = pl.Series(
        "_base",
        [
            None
            if seed is None
            else "P" + hashlib.blake2b(seed.encode(), digest_size=5).hexdigest()
            for seed in seeds["_seed"].to_list()
        ],
        dtype=pl.String,
    )
    seeds = seeds.select("_comp", base)
    shared = pl.len().over("_base") > 1
    tied = seeds.filter(shared)
    if tied.is_empty():
        return seeds.rename({"_base": "person"})
    ties = (
        rows.join(tied, on="_comp", how="semi")
        .group_by("_comp")
        .agg(
            pl.concat_str(
                pl.col("_k_addr", "_k_email", "_k_tel").fill_null(""), separator="|"
            )
            .min()
            .alias("_tie")
        )
    )
    tied = tied.join(ties, on="_comp").sort("_base", "_tie", "_comp")
    rank = pl.int_range(1, pl.len() + 1).over("_base")
    tied = tied.select(
        "_comp",
        pl.when(rank == 1)
        .then(pl.col("_base"))
        .otherwise(pl.col("_base") + "-" + rank.cast(pl.String))
        .alias("person"),
    )
    alone = seeds.filter(~shared).rename({"_base": "person"})
    return pl.concat([alone, tied])
