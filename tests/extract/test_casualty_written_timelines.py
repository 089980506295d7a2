"""Reports written for these tests in the style of wire copy (headline, dateline, lead with the latest toll,
background, totals), replayed through the whole pipeline as a timeline is: the classes the product must
handle, not the texts the rules were tuned on.

- `written_negatives.jsonl`: texts that tell no new attack, two or more of each kind (periodic and cumulative
  tallies, a front's or a war's losses, anniversaries and vigils, trials and investigations, exhumations,
  accidents, drones shot down, exchanges, evacuations and aid): none may raise an alert;
- `written_tolls.jsonl`: attacks told over two to four reports (tolls that rise, bodies recovered, the wounded
  who die, a first figure raised later, ranges, a lower partial figure, a region's report of a city's attack,
  a dateline elsewhere, other spellings and transliterations in a named region, a village read in the title's
  region, a title named like its region over a district, a roundup's second city told by its official, an
  earlier day's victims recalled in a later attack's story, a post headed by its day that tells only an earlier
  day's toll, a report naming no weapon beside an earlier attack's at the same target, a region's sum over two
  towns each told with its own toll): one
  root per attack, one update per revised toll, the final figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.evaluation.casualty_timeline import load_timeline, replay, score
from bot.extract import Extractor

DATA = Path(__file__).resolve().parents[1] / "data" / "casualties"


@pytest.fixture(scope="module")
def extractor(default_config: Config) -> Extractor:
    return Extractor(default_config)


def test_no_text_without_a_new_attack_raises_an_alert(default_config: Config, extractor: Extractor) -> None:
    reports = load_timeline(DATA / "written_negatives.jsonl")
    outcome = replay(reports, default_config, extractor)
    alerted = sorted({a.report for a in outcome.alerts})
    assert alerted == [], {r: [(c.location, c.killed, c.injured) for c in outcome.extracted[r]] for r in alerted}


def test_each_attack_has_one_root_an_update_per_rise_and_its_final_toll(default_config: Config,
                                                                        extractor: Extractor) -> None:
    reports = load_timeline(DATA / "written_tolls.jsonl")
    result = score(reports, replay(reports, default_config, extractor))
    assert result.problems == [], result.report()
    assert (result.second_roots, result.merges, result.alerts) == (0, 0, result.ideal_alerts), result.report()
