"""`python -m bench [demo] [ranks] [chains] [pages] [import] [quarantine] [venues] [risk] [response] [--scale 0.1]`: run the benchmarks on PostgreSQL
(BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/chongdich_bench), print a table,
write bench/results/latest.json. Targets are printed, never asserted."""

from __future__ import annotations

import argparse
import importlib
import json
import math
import os
import platform
import sys
import time
import traceback
from pathlib import Path

ORDER = ("chains", "ranks", "demo", "pages", "import", "quarantine", "venues", "risk", "response")  # so that pages reuse the demo's million cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", metavar="name",
                        help=f"benchmarks to run (default: all): {', '.join(ORDER)}")
    parser.add_argument("--scale", type=float, default=1.0,
                        help="shrink every size by this factor (0.01 runs in about a minute)")
    args = parser.parse_args(argv)
    if unknown := set(args.names) - set(ORDER):
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}; choose from {', '.join(ORDER)}")
    names = [n for n in ORDER if n in (args.names or ORDER)]

    from bench.common import create_database, database_url, human

    url = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if create_database(url):
        print(f"created database {url.rsplit('/', 1)[-1]}")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != "postgresql":
        print("the benchmarks run on PostgreSQL (BENCH_DATABASE_URL)", file=sys.stderr)
        return 2
    call_command("migrate", verbosity=0, interactive=False)
    from bench import (
        chains,
        datasets,
        demo_generation,
        import_results,
        pages,
        quarantine,
        rank_update,
    )
    from chongdich.geography.models import AdminUnit
    from chongdich.geography.services import units_load

    if not AdminUnit.objects.filter(province__code=datasets.PROVINCE).exists():
        units_load(province_code=datasets.PROVINCE)
    modules = {"demo": demo_generation, "ranks": rank_update, "chains": chains, "pages": pages,
               "import": import_results, "quarantine": quarantine}
    for name in {"venues", "risk", "response"} & set(names):  # modules of the newer apps
        modules[name] = importlib.import_module(f"bench.{name}")
    results = []
    began = time.perf_counter()
    out = Path(__file__).resolve().parent / "results"
    out.mkdir(exist_ok=True)
    failed = []
    for name in names:
        print(f"[{name}] scale {args.scale:g}", flush=True)
        try:
            results += modules[name].run(args.scale, say=lambda m: print(m, flush=True))
        except Exception:  # one broken benchmark must not cost the others' figures
            traceback.print_exc()
            failed.append(name)
        (out / "latest.json").write_text(json.dumps({
            "scale": args.scale, "database": url.rsplit("@", 1)[-1], "python": platform.python_version(),
            "cpus": os.cpu_count(), "seconds": time.perf_counter() - began, "failed": failed,
            "results": [r.as_dict() for r in results],
        }, indent=2, default=str, ensure_ascii=False))
    print()
    print(table(results, human))
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    print(f"\nwritten: {out / 'latest.json'}  (total {human(time.perf_counter() - began)})")
    return 1 if failed else 0


def table(results, human) -> str:
    header = ("benchmark", "figure", "baseline", "how the baseline is measured", "ratio", "target", "")
    rows = [header]
    for r in results:
        ok = not math.isnan(r.figure)
        rows.append((r.name, human(r.figure) if ok else "—", human(r.baseline),
                     r.baseline_how, f"{r.ratio:,.0f}×" if ok else "—", r.target_text, r.verdict if ok else ""))
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(header))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(str(c).ljust(w) if j in (0, 3) else str(c).rjust(w)
                               for j, (c, w) in enumerate(zip(row, widths, strict=True))).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    notes = [f"  {r.name}: {r.note}" for r in results if r.note]
    return "\n".join(lines + ([""] + notes if notes else []))


if __name__ == "__main__":
    sys.exit(main())
