"""A compression bomb costs the body cap, not its decompressed size: peak RSS of a fetching process with
bombs (gzip and deflate, 256 MB of zeros each in ~256 KB) against the same process fetching only the good feed."""

from __future__ import annotations

import subprocess
import sys
import zlib

import pytest

from tests.hardness.servers import FeedServer, Response

CHILD = """
import resource, sys
from bot.config import Feed, Settings
from bot.sources.fetch import Fetcher
with Fetcher(Settings()) as fetcher:
    for url in sys.argv[1:]:
        result = fetcher.fetch(Feed(name="f", url=url))
        print(result.error or f"{len(result.documents)} documents", file=sys.stderr)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)  # Linux: kilobytes
"""
GOOD = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://e.org/</link>'
        b"<description>d</description>" + b"".join(
            b"<item><title>Item %d</title><guid>g%d</guid><description>Some text.</description></item>" % (i, i)
            for i in range(50)) + b"</channel></rss>")


def bomb(megabytes: int, wbits: int) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    block = bytes(1 << 20)
    return b"".join([*(packer.compress(block) for _ in range(megabytes)), packer.flush()])


def peak_rss(*urls: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-c", CHILD, *urls], capture_output=True, text=True, timeout=120, check=True)
    return int(done.stdout.strip().splitlines()[-1]), done.stderr


@pytest.mark.slow
def test_a_gzip_bomb_leaves_peak_memory_within_50_mb_of_the_same_run_without_it() -> None:
    rss_type = {"Content-Type": "application/rss+xml"}
    with FeedServer({"/good": Response(GOOD),
                     "/gzip": Response(bomb(256, 16 + zlib.MAX_WBITS), headers={**rss_type, "Content-Encoding": "gzip"}),
                     "/deflate": Response(bomb(256, zlib.MAX_WBITS), headers={**rss_type, "Content-Encoding": "deflate"}),
                     }) as server:
        without, calm = peak_rss(server.url("/good"), server.url("/good"))
        with_bombs, stormy = peak_rss(server.url("/good"), server.url("/gzip"), server.url("/deflate"))
    assert calm.split().count("documents") == 2, calm
    assert stormy.splitlines()[1:] == ["too large: more than 10000000 bytes"] * 2, stormy
    grown = (with_bombs - without) / 1e6
    print(f"peak RSS {without / 1e6:.1f} MB without bombs, {with_bombs / 1e6:.1f} MB with them (+{grown:.1f} MB)")
    assert grown < 50, grown
