"""Count the call-backs of the pipeline's walk through English articles (issue 12 item 5).

    python scripts/stage_walk.py ARTICLE.txt|ARTICLES.jsonl [--sites]

A call-back is a call that goes back into an earlier stage once a later one has started (the Arabic path,
`khaldun/arabic`, is not counted):
- mention stage: a call into mentions.py, actors.py, places.py or materiel.py once the frame stage has
  started (`Attributor.frames` was entered for the document), from a caller outside those modules; reading
  the per-paragraph mention table (`ParaMentions.at`, `.within`, its fields) is not a call-back, it is what
  the table is for;
- frame stage: a call into events.py or attribution.py once the frame stage has started, from pipeline
  code outside the frame stage (pipeline.py and khaldun/stages, except stages/frames.py and stages/roles.py),
  other than the frame stage's own entry points (building the attributor and the extractor, `frames`,
  `extract`). The events.py share of these is printed on its own line.
Prints the number of distinct call sites (caller function -> callee function) and of calls of each kind.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

MENTION_STAGE = ("mentions.py", "actors.py", "places.py", "materiel.py")
FRAME_STAGE = ("events.py", "attribution.py")
FRAME_STAGE_CODE = ("stages/frames.py", "stages/roles.py")
TABLE_READS = {"at", "within"}
ENTRY_POINTS = {"Attributor.__init__", "Attributor.frames", "SpeakerBook.__init__", "EventExtractor.__init__",
                "EventExtractor.extract"}


def _where(code: object) -> tuple[str, str]:
    path = Path(code.co_filename)  # type: ignore[attr-defined]
    parts = path.parts
    rel = "/".join(parts[len(parts) - 1 - parts[::-1].index("khaldun") + 1:]) if "khaldun" in parts else path.name
    return rel, code.co_qualname  # type: ignore[attr-defined]


def main(argv: list[str]) -> int:
    if not argv or not Path(argv[0]).is_file():
        print("usage: python scripts/stage_walk.py ARTICLE.txt|ARTICLES.jsonl [--sites]", file=sys.stderr)
        return 2
    from khaldun.pipeline import Pipeline

    raw = Path(argv[0]).read_text(encoding="utf-8")
    texts = [json.loads(line)["text"] for line in raw.splitlines() if line.strip()] \
        if argv[0].endswith(".jsonl") else [raw]
    pipe = Pipeline()
    pipe.analyze("A warm-up sentence said nothing.")
    state = {"frames": False}
    mention_back: Counter[tuple[str, str]] = Counter()
    frame_back: Counter[tuple[str, str]] = Counter()

    def hook(frame: object, event: str, arg: object) -> None:
        if event != "call":
            return
        callee_mod, callee_fn = _where(frame.f_code)  # type: ignore[attr-defined]
        if callee_mod == "attribution.py" and callee_fn == "Attributor.frames":
            state["frames"] = True
        back = frame.f_back  # type: ignore[attr-defined]
        if back is None or not state["frames"]:
            return
        caller_mod, caller_fn = _where(back.f_code)
        if caller_mod.startswith("arabic/") or callee_fn.startswith("<"):
            return
        site = (f"{caller_mod}:{caller_fn}", f"{callee_mod}:{callee_fn}")
        if callee_mod in MENTION_STAGE and caller_mod not in MENTION_STAGE \
                and callee_fn.rsplit(".", 1)[-1] not in TABLE_READS:
            mention_back[site] += 1
        pipeline_code = caller_mod == "pipeline.py" or caller_mod.startswith("stages/")
        if callee_mod in FRAME_STAGE and pipeline_code and caller_mod not in FRAME_STAGE_CODE \
                and callee_fn not in ENTRY_POINTS:
            frame_back[site] += 1

    for text in texts:
        state["frames"] = False
        sys.setprofile(hook)
        try:
            pipe.analyze(text)
        finally:
            sys.setprofile(None)
    events_back = Counter({k: v for k, v in frame_back.items() if k[1].startswith("events.py")})
    print(f"documents: {len(texts)}")
    print(f"call-backs into the mention stage: {len(mention_back)} sites, {sum(mention_back.values())} calls")
    print(f"call-backs into the frame stage: {len(frame_back)} sites, {sum(frame_back.values())} calls")
    print(f"  of which re-entries into events.py: {len(events_back)} sites, {sum(events_back.values())} calls")
    if "--sites" in argv:
        for name, c in (("mention stage", mention_back), ("frame stage", frame_back)):
            for (a, b), n in sorted(c.items()):
                print(f"  {name}: {a} -> {b} x{n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
