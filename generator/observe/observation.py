"""What was observed: each instance's, the cluster's and the proxy's series over one window."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from generator.observe.series import Series


@dataclass(frozen=True)
class Observation:
    cluster: str
    source: str  # "cloudwatch" or "file: <basename>"
    start: datetime
    end: datetime
    writer: dict[str, Series]  # metric name -> series
    readers: dict[str, dict[str, Series]]  # instance key -> metric name -> series
    cluster_level: dict[str, Series]  # the cluster's and the proxy's metrics (and instance metrics without an instance)
    # The running cluster's ServerlessV2ScalingConfiguration (min, max) and creation time, when read from RDS.
    scaling: tuple[float, float] | None = None
    created: datetime | None = None
    notes: list[str] = field(default_factory=list)

    def writer_metric(self, name: str) -> Series | None:
        """The writer's series of `name`, else the cluster-level one (a file without instance Ids)."""
        return self.writer.get(name) or self.cluster_level.get(name)

    def instance_series(self, name: str) -> list[Series]:
        """`name` of every instance (writer first), else the cluster-level one."""
        found = [s for s in [self.writer.get(name), *(r.get(name) for r in self.readers.values())] if s]
        return found or ([self.cluster_level[name]] if name in self.cluster_level else [])
