"""The counter interface: `add` is called per read and must be cheap and atomic; `drain`
hands the worker every count added since the last drain, each exactly once."""


class Counter:
    def add(self, article_id: int, hour: int) -> None:
        """Count one read of `article_id` in `hour` (hours since the Unix epoch)."""
        raise NotImplementedError

    def drain(self) -> dict[tuple[int, int], int]:
        """{(article_id, hour): reads} added since the last drain; they are removed."""
        raise NotImplementedError

    def restore(self, counts: dict[tuple[int, int], int]) -> None:
        """Put drained counts back (the database write failed)."""
        for (article_id, hour), reads in counts.items():
            for _ in range(reads):
                self.add(article_id, hour)
