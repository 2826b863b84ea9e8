"""`asn lag`: how far every consumer group is behind, per partition."""

from __future__ import annotations

from dataclasses import dataclass

from servicekit.connections import KafkaTarget

from asn_cli import clients


@dataclass(frozen=True, slots=True)
class PartitionLag:
    group: str
    topic: str
    partition: int
    committed: int | None
    end: int

    @property
    def behind(self) -> int:
        """Events not yet applied; a group that never committed is behind by the whole log
        it would read (from the beginning, as the suite's consumers start)."""
        return self.end - (self.committed or 0)


async def group_lag(bootstrap: KafkaTarget, group: str | None = None) -> list[PartitionLag]:
    async with clients.admin(bootstrap) as admin, clients.reader(bootstrap, "asn-lag") as consumer:
        if group is not None:
            groups = [group]
        else:
            groups = sorted(str(g[0]) for g in await admin.list_consumer_groups())
        rows: list[PartitionLag] = []
        for name in groups:
            committed = await admin.list_consumer_group_offsets(name)
            tps = sorted(committed, key=lambda tp: (tp.topic, tp.partition))
            ends = await consumer.end_offsets(tps) if tps else {}
            for tp in tps:
                meta = committed[tp]
                offset = meta.offset if meta is not None and meta.offset >= 0 else None
                rows.append(PartitionLag(name, tp.topic, tp.partition, offset, ends[tp]))
        return rows


def totals(rows: list[PartitionLag]) -> dict[str, int]:
    """Group → events behind over all its partitions."""
    out: dict[str, int] = {}
    for row in rows:
        out[row.group] = out.get(row.group, 0) + row.behind
    return out
