"""The shape patterns are data: the file loads, every shape names its roles, and a bad shape is a clear error."""

from __future__ import annotations

import pytest
import spacy

from bot.extract.clauses import READINGS
from bot.extract.shapes import ShapeError, ShapeFinder, load_shapes


def test_the_shipped_patterns_load_into_one_matcher() -> None:
    shapes = load_shapes()
    assert len(shapes) >= 40
    assert len({s.id for s in shapes}) == len(shapes)
    finder = ShapeFinder(spacy.blank("en").vocab, shapes)
    assert {"if", "unless", "until", "without", "contingent", "precondition"} <= finder.anchor_words()


def test_every_pattern_names_a_cue_or_a_requirement_and_known_readings() -> None:
    for shape in load_shapes():
        for pattern in shape.patterns:
            names = [node["RIGHT_ID"] for node in pattern]
            assert "cue" in names or "requires" in names, shape.id
        for readings in (*shape.when.values(), *shape.unless.values(), *shape.any.values()):
            assert set(readings) <= READINGS.keys(), shape.id


@pytest.mark.parametrize("text, message", [
    ("shapes: [{id: x, kind: wish, patterns: [[{RIGHT_ID: cue, RIGHT_ATTRS: {LOWER: if}}]]}]", "kind must be one of"),
    ("shapes: [{id: x, kind: condition, patterns: []}]", "no patterns"),
    ("shapes: [{id: x, kind: condition, when: {cue: [sunny]}, patterns: [[{RIGHT_ID: cue, RIGHT_ATTRS: {}}]]}]",
     "unknown readings ['sunny']"),
    ("shapes: [{id: x, kind: condition, patterns: [[{RIGHT_ID: other, RIGHT_ATTRS: {}}]]}]", "neither a cue"),
])
def test_a_malformed_shape_names_itself_and_the_problem(text: str, message: str) -> None:
    with pytest.raises(ShapeError, match="shape x") as error:
        load_shapes(text)
    assert message in str(error.value)


def test_a_pattern_spacy_rejects_is_reported_with_its_shape() -> None:
    text = ("shapes: [{id: broken, kind: condition, patterns: [[{RIGHT_ID: cue, RIGHT_ATTRS: {LOWER: if}}, "
            "{LEFT_ID: nowhere, REL_OP: '<', RIGHT_ID: requires, RIGHT_ATTRS: {}}]]}]")
    with pytest.raises(ShapeError, match="shape broken: pattern 1"):
        ShapeFinder(spacy.blank("en").vocab, load_shapes(text))


def test_the_anchored_matcher_finds_what_spacys_dependency_matcher_finds(extractor) -> None:  # type: ignore[no-untyped-def]
    """The same patterns, the same matches: the shapes file is DependencyMatcher data however it is matched."""
    from pathlib import Path

    import yaml
    from spacy.matcher import DependencyMatcher

    from bot.extract.depmatch import AnchoredMatcher

    cases = yaml.safe_load((Path(__file__).resolve().parents[1] / "data" / "positions_labelled.yaml").read_text())
    nlp = extractor.nlp
    ours, theirs = AnchoredMatcher(), DependencyMatcher(nlp.vocab)
    for shape in load_shapes():
        for n, pattern in enumerate(shape.patterns):
            ours.add(f"{shape.id}#{n}", pattern)
            theirs.add(f"{shape.id}#{n}", [list(pattern)])
    compared = 0
    for case in cases["cases"][:60]:
        doc = nlp(case["text"])
        for sent in doc.sents:
            alone = sent.as_doc()
            expected = {(nlp.vocab.strings[m], tuple(sent.start + i for i in ids)) for m, ids in theirs(alone)}
            found = {(key, tuple(ids)) for key, _, ids in ours(sent)}
            assert found == expected, sent.text
            compared += len(found)
    assert compared > 50
