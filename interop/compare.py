#!/usr/bin/env python3
"""Compare a scimconform report.json with a hand-judged expectations file.

    compare.py SERVER REPORT.json EXPECTATIONS.tsv            compare, exit 1 on differences
    compare.py --baseline SERVER REPORT.json EXPECTATIONS.tsv  (re)write the expectations file

The verdict of each spec is derived from report.json exactly as reports/model.go
does it (verdictOf): passed + warning entries = WARN, skipped with the
"unsupported: " prefix = NOT SUPPORTED, failed with a scimconform.error entry =
ERROR, failed MUST spec outside profile:interop = FAIL, other failures = WARN,
panics/interrupts/timeouts = ERROR. Suite-level nodes that failed are ERRORs too.

Expectations file: tab-separated, '#' lines are comments, columns
    key  verdict  judgement  cause  reqs  reason
key is the spec's full text (ginkgo FullText, stable across runs), or
're:REGEX' for a flaky outcome that may hit any spec: the regex is searched in
"<full text> :: <message>", such a row covers every match and is never
reported as no longer seen. judgement is
real | false | harness | unsure, cause is a short id shared by the specs that
fail for one reason. --baseline keeps the judgement, cause and reason of every
key+verdict already in the file and adds new rows as 'unsure'.
Stdlib only.
"""
import json
import re
import sys
from collections import Counter, OrderedDict

ENTRY_WARNING = "scimconform.warning"
ENTRY_ERROR = "scimconform.error"
SKIP_UNSUPPORTED = "unsupported: "
LABEL_INTEROP = "profile:interop"
JUDGED = ("FAIL", "WARN", "ERROR")
JUDGEMENTS = ("real", "false", "harness", "unsure")
COLUMNS = ["key", "verdict", "judgement", "cause", "reqs", "reason"]


def spec_labels(sr):
    labels = []
    for group in sr.get("ContainerHierarchyLabels") or []:
        labels.extend(group or [])
    labels.extend(sr.get("LeafNodeLabels") or [])
    return labels


def verdict_of(sr):
    labels = spec_labels(sr)
    levels = [l[len("level:"):] for l in labels if l.startswith("level:")]
    level = levels[0] if len(levels) == 1 else ""
    interop = LABEL_INTEROP in labels
    entries = sr.get("ReportEntries") or []
    warned = any(e.get("Name") == ENTRY_WARNING for e in entries)
    harness_error = any(e.get("Name") == ENTRY_ERROR for e in entries)
    state = sr.get("State")
    msg = (sr.get("Failure") or {}).get("Message") or ""
    if state == "passed":
        return "WARN" if warned else "PASS"
    if state == "skipped":
        return "NOT SUPPORTED" if msg.startswith(SKIP_UNSUPPORTED) else "SKIPPED"
    if state == "pending":
        return "SKIPPED"
    if state == "failed":
        if harness_error:
            return "ERROR"
        if level == "must" and not interop:
            return "FAIL"
        return "WARN"
    return "ERROR"


def first_line(text, limit=160):
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= limit else line[: limit - 1] + "…"


def read_report(path):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    results = OrderedDict()
    for sr in doc["ginkgo"]["SpecReports"]:
        node = sr.get("LeafNodeType")
        if node != "It":
            if sr.get("State") not in ("passed", "skipped", "pending"):
                key = f"{node} {sr.get('LeafNodeText', '')}".strip()
                results[key] = {"verdict": "ERROR", "reqs": "",
                                "message": first_line((sr.get("Failure") or {}).get("Message"))}
            continue
        key = " ".join(list(sr.get("ContainerHierarchyTexts") or []) + [sr.get("LeafNodeText", "")])
        reqs = sorted(l[4:] for l in spec_labels(sr) if l.startswith("req:"))
        msg = (sr.get("Failure") or {}).get("Message") or ""
        if not msg:
            warns = [e for e in sr.get("ReportEntries") or [] if e.get("Name") == ENTRY_WARNING]
            if warns:
                value = warns[0].get("Value") or {}
                raw = value.get("AsJSON") or ""
                try:
                    msg = json.loads(raw) if raw else value.get("Representation", "")
                except ValueError:
                    msg = raw
        results[key] = {"verdict": verdict_of(sr), "reqs": ",".join(reqs), "message": first_line(str(msg))}
    return results


def read_expectations(path):
    rows = OrderedDict()
    try:
        f = open(path, encoding="utf-8")
    except FileNotFoundError:
        return rows
    with f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            cols += [""] * (len(COLUMNS) - len(cols))
            row = dict(zip(COLUMNS, cols))
            if row["judgement"] not in JUDGEMENTS:
                sys.exit(f"{path}:{n}: judgement {row['judgement']!r} is not one of {', '.join(JUDGEMENTS)}")
            rows[(row["key"], row["verdict"])] = row
    return rows


def clean(s):
    return (s or "").replace("\t", " ").replace("\n", " ")


def write_baseline(server, results, expectations, path):
    rows = []
    for key, r in results.items():
        if r["verdict"] not in JUDGED:
            continue
        old = expectations.get((key, r["verdict"]))
        if not old and covered(key, r["verdict"], results, pattern_rows(expectations)):
            continue
        if old:
            rows.append(old)
        else:
            rows.append({"key": key, "verdict": r["verdict"], "judgement": "unsure", "cause": "",
                         "reqs": r["reqs"], "reason": "not judged yet: " + clean(r["message"])})
    rows += [row for k, row in expectations.items() if k[0].startswith("re:")]
    rows.sort(key=lambda r: (r["cause"], r["verdict"], r["key"]))
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"# Expected FAIL/WARN/ERROR verdicts of scimconform against {server}; see interop/README.md.\n")
        f.write("# " + "\t".join(COLUMNS) + "\n")
        for r in rows:
            f.write("\t".join(clean(r.get(c, "")) for c in COLUMNS) + "\n")
    print(f"{server}: wrote {len(rows)} rows to {path}")


def pattern_rows(expectations):
    return [(re.compile(k[0][3:]), k[1]) for k in expectations if k[0].startswith("re:")]


def covered(key, verdict, results, patterns):
    text = f"{key} :: {results[key]['message']}"
    return any(v == verdict and rx.search(text) for rx, v in patterns)


def compare(server, results, expectations):
    patterns = pattern_rows(expectations)
    counts = Counter(r["verdict"] for r in results.values())
    order = ["PASS", "FAIL", "WARN", "ERROR", "NOT SUPPORTED", "SKIPPED"]
    print(f"== {server}")
    print("   verdicts: " + ", ".join(f"{v} {counts.get(v, 0)}" for v in order))
    seen = {(k, r["verdict"]) for k, r in results.items() if r["verdict"] in JUDGED}
    new = [k for k in seen if k not in expectations and not covered(k[0], k[1], results, patterns)]
    flaky = [k for k in seen if k not in expectations and k not in new]
    gone = [k for k in expectations if k not in seen and not k[0].startswith("re:")]
    judged = Counter((row["verdict"], row["judgement"]) for k, row in expectations.items() if k in seen)
    print("   expected and seen: " + ", ".join(
        f"{v} {j} {judged[(v, j)]}" for v in JUDGED for j in JUDGEMENTS if judged[(v, j)]))
    if flaky:
        print(f"   covered by a re: row (flaky): {len(flaky)}")
        for key, verdict in sorted(flaky):
            print(f"     {verdict:5} {key}  -- {results[key]['message']}")
    still_false = sorted((k for k in seen if expectations.get(k, {}).get("judgement") == "false"))
    for title, items in (("new (not in the expectations)", new), ("expected but no longer seen", gone)):
        print(f"   {title}: {len(items)}")
        for key, verdict in sorted(items):
            extra = ""
            if (key, verdict) in new:
                extra = f"  -- {results[key]['message']}"
                if key in results and any(k == key for k, _ in expectations):
                    extra = "  (verdict changed)" + extra
            print(f"     {verdict:5} {key}{extra}")
    print(f"   FAILs/WARNs/ERRORs judged false that still occur: {len(still_false)}")
    for key, verdict in still_false:
        row = expectations[(key, verdict)]
        print(f"     {verdict:5} [{row['cause']}] {key}")
    return 1 if new or gone else 0


def main(argv):
    baseline = False
    if argv and argv[0] == "--baseline":
        baseline, argv = True, argv[1:]
    if len(argv) != 3:
        sys.exit(__doc__)
    server, report, exp_path = argv
    results = read_report(report)
    expectations = read_expectations(exp_path)
    if baseline:
        write_baseline(server, results, expectations, exp_path)
        return 0
    return compare(server, results, expectations)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
