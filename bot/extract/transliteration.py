"""One skeleton for the spellings of an East Slavic place name.

Outlets transliterate one town many ways (Pervomaiskyi, Pervomayskyi, Pervomaiske, Pervomaisk; Horodyshche,
Gorodishche, Gorodische; Orikhiv, Orikhove): the skeleton drops what those spellings disagree on (g/h, y/i,
kh/h, shch/sch, doubled letters, the adjective's ending), so two spellings of one name meet. It is far too loose
to find a town on its own; it is only compared among the towns of a region the text names.
"""

from __future__ import annotations

import re

from bot.extract.gazetteer_index import normalise

_LETTERS = (("shch", "sch"), ("kh", "h"), ("g", "h"), ("y", "i"), ("j", "i"), ("'", ""), ("-", " "))
# adjectival endings of one name in Ukrainian and Russian (-skyi, -ske, -sk, -skoye, -ska, -skaya)
_ADJECTIVE_END = re.compile(r"sk(?:ii|i|e|oe|oie|a|aia)?\b")
# possessive endings (Orikhiv, Orikhove, Orekhovo)
_POSSESSIVE_END = re.compile(r"(?:iv|ove|ovo|ov)\b")


def skeleton(name: str) -> str:
    text = normalise(name)
    for old, new in _LETTERS:
        text = text.replace(old, new)
    text = re.sub(r"(.)\1+", r"\1", text)
    text = _ADJECTIVE_END.sub("sk", text)
    return _POSSESSIVE_END.sub("ov", text).strip()
