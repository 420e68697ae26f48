#!/usr/bin/env python3
"""Checks a JUnit XML file as CI ingesters read it (Jenkins, GitLab, GitHub test reporters).

Usage: python3 tests/cli/junit_check.py FILE [--tests N] [--failures N] [--errors N]
           [--skipped N] [--name-contains TEXT]...

The file must be well-formed XML whose root is <testsuites> (or a lone <testsuite>); every
<testsuite> has a name and tests/failures/errors/skipped/time attributes that agree with its
<testcase> children; every <testcase> has a name, a classname, a non-negative time and at most
one <failure>, <error> or <skipped>; <failure> and <error> carry message and type attributes;
the root's totals are the sums of its suites. The options add expected totals, and
--name-contains requires some testcase name to contain TEXT (escaping round trip). Prints one
line and exits 0 when the file is good, 1 with the problems otherwise, 2 on bad usage.
ci/ uses it to validate a conformance run's --junit file.
"""
import argparse
import sys
import xml.etree.ElementTree as ET

COUNTED = ("tests", "failures", "errors", "skipped")


def count_attr(elem, name, problems, where):
    value = elem.get(name)
    if value is None:
        if name == "skipped":  # optional in the oldest schema
            return None
        problems.append(f"{where}: missing attribute {name}")
        return None
    try:
        n = int(value)
    except ValueError:
        problems.append(f"{where}: {name}={value!r} is not an integer")
        return None
    if n < 0:
        problems.append(f"{where}: {name}={n} is negative")
    return n


def check_time(elem, problems, where):
    value = elem.get("time")
    if value is None:
        return
    try:
        if float(value) < 0:
            problems.append(f"{where}: negative time {value}")
    except ValueError:
        problems.append(f"{where}: time={value!r} is not a number")


def check_case(case, problems, where):
    """Returns the case's kind: pass, failure, error or skipped."""
    for attr in ("name", "classname"):
        if not case.get(attr):
            problems.append(f"{where}: testcase without {attr}")
    check_time(case, problems, where)
    results = [c for c in case if c.tag in ("failure", "error", "skipped")]
    if len(results) > 1:
        problems.append(f"{where}: more than one failure/error/skipped element")
    for r in results:
        if r.tag in ("failure", "error") and (r.get("message") is None or not r.get("type")):
            problems.append(f"{where}: <{r.tag}> without message or type")
    return results[0].tag if results else "pass"


def check_suite(suite, problems, index):
    where = f"testsuite #{index} ({suite.get('name')!r})"
    if not suite.get("name"):
        problems.append(f"{where}: no name")
    check_time(suite, problems, where)
    seen = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    names = []
    for j, case in enumerate(suite.findall("testcase")):
        kind = check_case(case, problems, f"{where} testcase #{j} ({case.get('name')!r})")
        names.append(case.get("name") or "")
        seen["tests"] += 1
        if kind == "failure":
            seen["failures"] += 1
        elif kind == "error":
            seen["errors"] += 1
        elif kind == "skipped":
            seen["skipped"] += 1
    for attr in COUNTED:
        declared = count_attr(suite, attr, problems, where)
        if declared is not None and declared != seen[attr]:
            problems.append(f"{where}: {attr}={declared} but the cases say {seen[attr]}")
    return seen, names


def main():
    ap = argparse.ArgumentParser(description="Check a JUnit XML file.")
    ap.add_argument("file")
    for attr in COUNTED:
        ap.add_argument(f"--{attr}", type=int)
    ap.add_argument("--name-contains", action="append", default=[])
    args = ap.parse_args()
    try:
        root = ET.parse(args.file).getroot()
    except (ET.ParseError, OSError) as e:
        print(f"junit_check: {args.file}: not well-formed XML: {e}", file=sys.stderr)
        return 1
    problems = []
    if root.tag == "testsuites":
        suites = root.findall("testsuite")
    elif root.tag == "testsuite":
        suites = [root]
    else:
        problems.append(f"root element is <{root.tag}>, not <testsuites> or <testsuite>")
        suites = []
    total = dict.fromkeys(COUNTED, 0)
    names = []
    for i, suite in enumerate(suites):
        seen, n = check_suite(suite, problems, i)
        names += n
        for attr in COUNTED:
            total[attr] += seen[attr]
    if root.tag == "testsuites":
        for attr in COUNTED:
            declared = count_attr(root, attr, problems, "testsuites")
            if declared is not None and declared != total[attr]:
                problems.append(f"testsuites: {attr}={declared} but the suites sum to {total[attr]}")
    for attr in COUNTED:
        want = getattr(args, attr)
        if want is not None and want != total[attr]:
            problems.append(f"expected {want} {attr}, the file has {total[attr]}")
    for text in args.name_contains:
        if not any(text in n for n in names):
            problems.append(f"no testcase name contains {text!r}")
    summary = ", ".join(f"{total[a]} {a}" for a in COUNTED)
    if problems:
        for p in problems:
            print(f"junit_check: {args.file}: {p}", file=sys.stderr)
        return 1
    print(f"junit_check: {args.file}: {len(suites)} suites, {summary}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
