#!/bin/sh
# Download feedparser's source distribution (it carries its own test suite: ~2,100 feeds, ill-formed,
# encodings, entities) once into bench/.cache/, then run the bot's parse_feed over every feed in it.
#   scripts/feedparser-corpus.sh            # download if needed, then run bench/bench_feedparser_corpus.py
# Needs the network only for the first download; `make test` never uses it.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"
CACHE=bench/.cache/feedparser
VERSION="$($PYTHON -c 'import importlib.metadata as m; print(m.version("feedparser"))')"
if [ ! -d "$CACHE/feedparser-$VERSION/tests" ]; then
    mkdir -p "$CACHE"
    $PYTHON -m pip download --quiet --no-deps --no-binary :all: -d "$CACHE" "feedparser==$VERSION"
    tar -xzf "$CACHE/feedparser-$VERSION.tar.gz" -C "$CACHE"
fi
exec $PYTHON bench/bench_feedparser_corpus.py "$CACHE/feedparser-$VERSION/tests"
