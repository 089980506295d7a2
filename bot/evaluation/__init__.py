"""Measuring extraction on labelled data: positions here; casualty evaluation lives beside it."""


def ratio(part: int, whole: int, empty: float = 0.0) -> float:
    """part / whole, or `empty` when there is nothing to divide by."""
    return part / whole if whole else empty
