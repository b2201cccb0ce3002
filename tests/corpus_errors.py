"""An exception for the corpus tests, kept out of ``test_corpus`` (which the Ray tests pickle by
value): its constructor needs two arguments, which pickling does not replay."""


class TwoPartError(Exception):
    def __init__(self, part: str, rest: str) -> None:
        super().__init__(f"{part}-{rest}")
