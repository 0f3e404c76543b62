#!/usr/bin/env python3
"""Checks that a file is a structurally valid SARIF 2.1.0 log, as far as
vinyl-asyncify writes one (no network, no schema package needed):

- top level: "version" is "2.1.0", "$schema" names the 2.1.0 schema, "runs"
  is a non-empty list;
- each run: tool.driver.name and .version are strings, driver.rules is a
  list of objects whose "id"s are unique non-empty strings (with optional
  shortDescription.text), "results" is a list;
- each result: "ruleId" is the id of a rule and "ruleIndex" its index,
  "level" is one of SARIF's levels, message.text is non-empty, and every
  location (locations, relatedLocations, codeFlows) has
  physicalLocation.artifactLocation.uri (a non-empty URI reference without
  spaces or backslashes) and region.startLine/startColumn, integers >= 1;
- codeFlows: each has threadFlows, each with a non-empty "locations" list of
  threadFlowLocation objects ({"location": {...}}) with message.text.

Usage: validate-sarif.py FILE [--results N] [--rules ID,ID...] [--summary]
Prints "valid SARIF 2.1.0: R rules, N results" and exits 0, or prints every
problem found (as "FILE: json.path: problem") and exits 1. --summary then
prints one line per result, "RULEID[INDEX] LEVEL URI:LINE:COL: MESSAGE",
and one indented "step URI:LINE:COL: MESSAGE" line per code-flow step, for
FileCheck.
"""
import argparse
import json
import re
import sys

LEVELS = {"none", "note", "warning", "error"}
URI_CHARS = re.compile(r"^[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+$")


class Validator:
    def __init__(self, name):
        self.name = name
        self.problems = []

    def fail(self, path, message):
        self.problems.append("%s: %s: %s" % (self.name, path, message))

    def obj(self, value, path):
        if not isinstance(value, dict):
            self.fail(path, "expected an object, got %r" % (value,))
            return {}
        return value

    def arr(self, value, path, non_empty=False):
        if not isinstance(value, list):
            self.fail(path, "expected an array, got %r" % (value,))
            return []
        if non_empty and not value:
            self.fail(path, "expected a non-empty array")
        return value

    def string(self, value, path):
        if not isinstance(value, str) or not value:
            self.fail(path, "expected a non-empty string, got %r" % (value,))
            return ""
        return value

    def positive(self, value, path):
        # bool is an int in Python; SARIF wants a JSON integer.
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(path, "expected an integer >= 1, got %r" % (value,))

    def message(self, value, path):
        self.string(self.obj(value, path).get("text"), path + ".text")

    def physical_location(self, value, path):
        loc = self.obj(value, path)
        artifact = self.obj(loc.get("artifactLocation"),
                            path + ".artifactLocation")
        uri = self.string(artifact.get("uri"), path + ".artifactLocation.uri")
        if uri and not URI_CHARS.match(uri):
            self.fail(path + ".artifactLocation.uri",
                      "not a URI reference (spaces or backslashes must be "
                      "percent-encoded): %r" % uri)
        region = self.obj(loc.get("region"), path + ".region")
        self.positive(region.get("startLine"), path + ".region.startLine")
        self.positive(region.get("startColumn"), path + ".region.startColumn")

    def location(self, value, path, needs_message=False):
        loc = self.obj(value, path)
        self.physical_location(loc.get("physicalLocation"),
                               path + ".physicalLocation")
        if needs_message or "message" in loc:
            self.message(loc.get("message"), path + ".message")

    def result(self, value, path, rules):
        res = self.obj(value, path)
        rule_id = self.string(res.get("ruleId"), path + ".ruleId")
        ids = [r.get("id") for r in rules]
        if rule_id and rule_id not in ids:
            self.fail(path + ".ruleId", "%r is not a rule of the driver"
                      % rule_id)
        index = res.get("ruleIndex")
        if isinstance(index, bool) or not isinstance(index, int) \
                or not 0 <= index < len(rules):
            self.fail(path + ".ruleIndex", "not an index into the rules: %r"
                      % (index,))
        elif rules[index].get("id") != rule_id:
            self.fail(path + ".ruleIndex", "rule %d is %r, not %r"
                      % (index, rules[index].get("id"), rule_id))
        if res.get("level") not in LEVELS:
            self.fail(path + ".level", "not a SARIF level: %r"
                      % (res.get("level"),))
        self.message(res.get("message"), path + ".message")
        locations = self.arr(res.get("locations"), path + ".locations",
                             non_empty=True)
        for i, loc in enumerate(locations):
            self.location(loc, "%s.locations[%d]" % (path, i))
        if "relatedLocations" in res:
            for i, loc in enumerate(self.arr(res["relatedLocations"],
                                             path + ".relatedLocations")):
                self.location(loc, "%s.relatedLocations[%d]" % (path, i),
                              needs_message=True)
        if "codeFlows" in res:
            flows = self.arr(res["codeFlows"], path + ".codeFlows",
                             non_empty=True)
            for i, flow in enumerate(flows):
                fpath = "%s.codeFlows[%d]" % (path, i)
                flow = self.obj(flow, fpath)
                threads = self.arr(flow.get("threadFlows"),
                                   fpath + ".threadFlows", non_empty=True)
                for j, thread in enumerate(threads):
                    tpath = "%s.threadFlows[%d]" % (fpath, j)
                    thread = self.obj(thread, tpath)
                    steps = self.arr(thread.get("locations"),
                                     tpath + ".locations", non_empty=True)
                    for k, step in enumerate(steps):
                        spath = "%s.locations[%d]" % (tpath, k)
                        step = self.obj(step, spath)
                        self.location(step.get("location"),
                                      spath + ".location", needs_message=True)

    def log(self, log):
        log = self.obj(log, "$")
        if log.get("version") != "2.1.0":
            self.fail("$.version", "expected \"2.1.0\", got %r"
                      % (log.get("version"),))
        schema = self.string(log.get("$schema"), "$.$schema")
        if schema and not re.search(r"sarif[-_]?(schema[-_])?2\.1\.0", schema):
            self.fail("$.$schema", "does not name the SARIF 2.1.0 schema: %r"
                      % schema)
        runs = self.arr(log.get("runs"), "$.runs", non_empty=True)
        total_rules = total_results = 0
        for r, run in enumerate(runs):
            rpath = "$.runs[%d]" % r
            run = self.obj(run, rpath)
            driver = self.obj(self.obj(run.get("tool"), rpath + ".tool")
                              .get("driver"), rpath + ".tool.driver")
            self.string(driver.get("name"), rpath + ".tool.driver.name")
            self.string(driver.get("version"), rpath + ".tool.driver.version")
            rules = self.arr(driver.get("rules"), rpath + ".tool.driver.rules")
            seen = set()
            for i, rule in enumerate(rules):
                ipath = "%s.tool.driver.rules[%d]" % (rpath, i)
                rule = self.obj(rule, ipath)
                rule_id = self.string(rule.get("id"), ipath + ".id")
                if rule_id in seen:
                    self.fail(ipath + ".id", "duplicate rule id %r" % rule_id)
                seen.add(rule_id)
                if "shortDescription" in rule:
                    self.message(rule["shortDescription"],
                                 ipath + ".shortDescription")
            rules = [r if isinstance(r, dict) else {} for r in rules]
            results = self.arr(run.get("results"), rpath + ".results")
            for i, res in enumerate(results):
                self.result(res, "%s.results[%d]" % (rpath, i), rules)
            total_rules += len(rules)
            total_results += len(results)
        return total_rules, total_results, runs


def where(location):
    loc = location["physicalLocation"]
    return "%s:%d:%d" % (loc["artifactLocation"]["uri"],
                         loc["region"]["startLine"],
                         loc["region"]["startColumn"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--results", type=int,
                        help="the number of results expected")
    parser.add_argument("--rules",
                        help="the rule ids expected, comma-separated, "
                             "in order")
    parser.add_argument("--summary", action="store_true",
                        help="print one line per result and flow step")
    args = parser.parse_args()
    v = Validator(args.file)
    try:
        with open(args.file, encoding="utf-8") as f:
            log = json.load(f)
    except (OSError, ValueError) as e:
        print("%s: not JSON: %s" % (args.file, e))
        return 1
    n_rules, n_results, runs = v.log(log)
    if args.results is not None and n_results != args.results:
        v.fail("$.runs[*].results", "expected %d results, got %d"
               % (args.results, n_results))
    if args.rules is not None:
        ids = [r.get("id") for run in runs if isinstance(run, dict)
               for r in run.get("tool", {}).get("driver", {}).get("rules", [])
               if isinstance(r, dict)]
        if ids != args.rules.split(","):
            v.fail("$.runs[*].tool.driver.rules", "expected ids %s, got %s"
                   % (args.rules, ",".join(map(str, ids))))
    if v.problems:
        print("\n".join(v.problems))
        return 1
    print("valid SARIF 2.1.0: %d rules, %d results" % (n_rules, n_results))
    if args.summary:
        for run in runs:
            for res in run["results"]:
                print("%s[%d] %s %s: %s" % (
                    res["ruleId"], res["ruleIndex"], res["level"],
                    where(res["locations"][0]), res["message"]["text"]))
                for flow in res.get("codeFlows", []):
                    for thread in flow["threadFlows"]:
                        for step in thread["locations"]:
                            print("  step %s: %s" % (
                                where(step["location"]),
                                step["location"]["message"]["text"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
