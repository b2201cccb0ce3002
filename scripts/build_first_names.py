"""Build ``stance/text/data/first_names.tsv``: common first names whose bearers are
almost all of one gender, a prior for resolving "he" and "she" when an article's own
pronouns do not tell.

Source: the name-gender data of nomquamgender 0.1.4 (MIT, Ian Van Buskirk;
``pip install nomquamgender==0.1.4``), which pools many national name registers.
A name is kept when it was seen at least ``--min-count`` times and at least
``1 - --margin`` of its bearers share one gender, unless it is far more often a place.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import re
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "stance" / "text" / "data" / "first_names.tsv"

HEADER = """\
# Common first names with the gender nearly all their bearers share (m or f).
# Built by scripts/build_first_names.py (min count {min_count}, margin {margin}) from the
# name data of nomquamgender 0.1.4: Copyright (c) 2022 Ian Van Buskirk, MIT licence.
# Permission is hereby granted, free of charge, to any person obtaining a copy
# of this software and associated documentation files (the "Software"), to deal
# in the Software without restriction, including without limitation the rights
# to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is
# furnished to do so, subject to the following conditions:
# The above copyright notice and this permission notice shall be included in all
# copies or substantial portions of the Software.
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
# IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
# FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
# AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
# LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
# OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
# SOFTWARE.
"""


# Names that are far more often places in news text ("India", "Georgia", "Chad").
PLACES = {"africa", "america", "asia", "europe", "india", "georgia", "chad", "china", "kenya",
          "israel", "jordan", "paris", "florida", "dakota", "london", "sydney", "denver",
          "phoenix", "dallas", "houston", "orlando", "brooklyn", "montana", "nevada", "alberta",
          "quebec", "kingston", "halifax", "vancouver", "chelsea"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-count", type=int, default=10_000)
    parser.add_argument("--margin", type=float, default=0.05)
    args = parser.parse_args()
    data = json.loads(
        (importlib.resources.files("nomquamgender") / "name_data.json").read_text("utf-8"))
    rows = []
    for name, (_sources, count, p_female, *_) in data.items():
        if count < args.min_count or not re.fullmatch(r"[a-z]+(-[a-z]+)?", name):
            continue
        if name in PLACES:
            continue
        if p_female <= args.margin:
            rows.append(f"{name}\tm")
        elif p_female >= 1 - args.margin:
            rows.append(f"{name}\tf")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(HEADER.format(min_count=args.min_count, margin=args.margin)
                   + "\n".join(sorted(rows)) + "\n", encoding="utf-8")
    print(f"{len(rows)} names -> {OUT}")


if __name__ == "__main__":
    main()
