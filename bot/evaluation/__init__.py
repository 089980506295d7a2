"""Measuring extraction on labelled data: positions here; casualty evaluation lives beside it."""
