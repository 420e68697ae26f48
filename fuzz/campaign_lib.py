"""The parts of fuzz/campaign: one target's engine run (Job), crash de-duplication, merges."""
import fnmatch
import glob
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
# Past the deadline an engine gets this long to stop by itself before it is killed.
GRACE = 60
MAX_RESTARTS = 50
# afl-fuzz insists on symbolize=0 and abort_on_error=1 (the report is made when re-running).
AFL_ENV = {"AFL_NO_UI": "1", "AFL_SKIP_CPUFREQ": "1", "AFL_AUTORESUME": "1",
           "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES": "1", "AFL_QUIET": "1",
           "ASAN_OPTIONS": "detect_leaks=1:abort_on_error=1:symbolize=0",
           "UBSAN_OPTIONS": "halt_on_error=1:abort_on_error=1:symbolize=0"}
SAN_ENV = {"ASAN_OPTIONS": "detect_leaks=1:abort_on_error=1:symbolize=1",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1"}


def all_targets():
    return sorted(os.path.basename(p)[5:-2] for p in glob.glob(os.path.join(ROOT, "fuzz", "fuzz_*.c")))


def dict_for(t):
    """The dictionary of fuzz/dict/targets (the same rule as fuzz/lib.sh), or None."""
    with open(os.path.join(ROOT, "fuzz", "dict", "targets"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 2 and not parts[0].startswith("#") and fnmatch.fnmatchcase(t, parts[0]):
                return None if parts[1] == "-" else os.path.join(ROOT, "fuzz", "dict", parts[1])
    return None


def seed_dirs(t):
    """t's seed directories: corpora/<t>/ first, then those of fuzz/seed_dirs (the same rule as
    fuzz/lib.sh's fuzz_seed_dirs), read only."""
    dirs = [os.path.join(ROOT, "corpora", t)]
    with open(os.path.join(ROOT, "fuzz", "seed_dirs"), encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if parts and parts[0] == t:
                dirs += [os.path.join(ROOT, d) for d in parts[1:]]
    return dirs


def hms(s):
    return "%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60)


def fresh_dir(path):
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    return path


def binary(a, t):
    return os.path.join(a.build, "fuzz", ("fuzz_" if a.engine == "libfuzzer" else "afl_") + t)


def reproduce_cmd(a, t, path):
    if a.engine == "libfuzzer":
        return [binary(a, t), "-timeout=%d" % a.timeout, "-rss_limit_mb=%d" % a.rss_mb, path]
    return [binary(a, t), path]


FRAME = re.compile(r"^\s*#(\d+) 0x[0-9a-f]+ in (\S+)(?: (\S+))?")
NOISE = ("fuzzer::", "__sanitizer", "__asan", "__ubsan", "__interceptor", "__libc", "abort",
         "raise", "LLVMFuzzerRunDriver", "main", "_start", "ExecuteFilesOnyByOne", "__afl")


def classify(report):
    """(kind, top project frames) of a sanitizer / libFuzzer report."""
    kind = "unreproducible"
    for pat in (r"ERROR: AddressSanitizer: ([\w-]+)", r"ERROR: LeakSanitizer: (detected memory leaks)",
                r"runtime error: ([^0-9'\"]+)", r"ERROR: libFuzzer: ([\w -]+)",
                r"(Timeout|timeout) after", r"ERROR: (\w+Sanitizer: \w[\w-]*)"):
        m = re.search(pat, report)
        if m:
            kind = m.group(1).strip().lower()
            break
    frames, started = [], False
    for line in report.splitlines():
        m = FRAME.match(line)
        if not m:
            continue
        if m.group(1) == "0" and started:
            break  # the next stack (where the memory was allocated or freed): not the crash
        started = True
        if m.group(2).startswith(NOISE) or "/usr/" in (m.group(3) or ""):
            continue
        frames.append(m.group(2))
        if len(frames) == 3:
            break
    return kind, frames


def run_capture(cmd, timeout):
    env = dict(os.environ, **SAN_ENV)
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                           env=env, check=False)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        return -1, (e.stdout or b"").decode("utf-8", "replace") + "\nTimeout after %ds\n" % timeout


def record_finding(a, t, path):
    """Re-runs one crashing input, files it under fuzz/findings/<t>/<hash>/; returns the id."""
    cmd = reproduce_cmd(a, t, path)
    rc, report = run_capture(cmd, a.timeout + 30)
    kind, frames = classify(report) if rc != 0 else ("unreproducible", [])
    if kind == "unreproducible":
        # libFuzzer names artifacts crash-/leak-/timeout-/oom-, AFL++ puts them in crashes/ or hangs/.
        m = re.match(r"(crash|leak|timeout|oom|slow-unit)-", os.path.basename(path))
        engine_kind = m.group(1) if m else os.path.basename(os.path.dirname(path))
        kind = "%s (not reproduced alone)" % engine_kind
        with open(path, "rb") as f:
            frames = [hashlib.sha1(f.read()).hexdigest()[:12]]
    h = hashlib.sha1(("%s|%s" % (kind, "|".join(frames))).encode()).hexdigest()[:12]
    d = os.path.join(a.findings, t, h)
    if not os.path.isdir(d):
        os.makedirs(d)
        shutil.copyfile(path, os.path.join(d, "input"))
        with open(os.path.join(d, "report.txt"), "w", encoding="utf-8") as f:
            f.write(report[-20000:])
        with open(os.path.join(d, "meta"), "w", encoding="utf-8") as f:
            f.write("%s\n%s\n%s\n" % (kind, " < ".join(frames) or "?",
                                      time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    with open(os.path.join(d, "count"), "a", encoding="utf-8") as f:
        f.write("x")
    write_readme(a, t)
    return "%s/%s" % (t, h)


def write_readme(a, t):
    base = os.path.join(a.findings, t)
    lines = ["# Findings of fuzz target %s (written by fuzz/campaign)" % t, "",
             "One line per distinct crash (hash of kind and top stack frames).", ""]
    for h in sorted(os.listdir(base)):
        d = os.path.join(base, h)
        if not os.path.isfile(os.path.join(d, "meta")):
            continue
        with open(os.path.join(d, "meta"), encoding="utf-8") as f:
            kind, where, when = (f.read().splitlines() + ["", "", ""])[:3]
        with open(os.path.join(d, "count"), encoding="utf-8") as f:
            n = len(f.read())
        cmd = " ".join(os.path.relpath(x, ROOT) if x.startswith(ROOT + "/") else x
                       for x in reproduce_cmd(a, t, os.path.join(d, "input")))
        lines.append("- `%s` %s in %s (seen %d×, first %s); reproduce: `%s`" % (
            h, kind, where, n, when, cmd))
    with open(os.path.join(base, "README.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


class Job:
    """One target's share of a round: engine runs until its time is spent, then a merge."""

    def __init__(self, a, t, seconds, workers):
        self.a, self.target, self.workers = a, t, workers
        self.end = time.time() + seconds
        self.dir = os.path.join(a.work, t)
        self.corpus = os.path.join(self.dir, "corpus")
        self.cand = os.path.join(a.work, "candidates", t)
        self.seen, self.findings, self.restarts = set(), set(), 0
        for d in (self.corpus, self.cand, os.path.join(self.dir, "artifacts")):
            os.makedirs(d, exist_ok=True)
        self.phase, self.procs = "fuzz", []
        self.start_engine()

    def start_engine(self):
        left = int(self.end - time.time())
        log = open(os.path.join(self.dir, "engine.log"), "w", encoding="utf-8")
        env = dict(os.environ, **SAN_ENV)
        if self.a.engine == "libfuzzer":
            self.procs = [subprocess.Popen(self.libfuzzer_cmd(left), stdout=log, stderr=log,
                                           env=env, start_new_session=True)]
        else:
            env.update(AFL_ENV)
            self.procs = [subprocess.Popen(cmd, stdout=log, stderr=log, env=env,
                                           start_new_session=True)
                          for cmd in self.afl_cmds(left)]
        log.close()

    def libfuzzer_cmd(self, left):
        a, t = self.a, self.target
        cmd = [binary(a, t), "-max_total_time=%d" % max(1, left), "-timeout=%d" % a.timeout,
               "-rss_limit_mb=%d" % a.rss_mb, "-print_final_stats=1",
               "-artifact_prefix=%s/" % os.path.join(self.dir, "artifacts")]
        if self.workers > 1:
            cmd += ["-fork=%d" % self.workers, "-ignore_crashes=1", "-ignore_timeouts=1",
                    "-ignore_ooms=1"]
        d = dict_for(t)
        if d:
            cmd.append("-dict=" + d)
        return cmd + [self.corpus] + seed_dirs(t)

    def afl_cmds(self, left):
        a, t = self.a, self.target
        seeds = fresh_dir(os.path.join(self.dir, "afl-in"))
        for src in seed_dirs(t) + [self.cand]:
            for f in os.listdir(src):
                p = os.path.join(src, f)
                if os.path.isfile(p) and 0 < os.path.getsize(p) <= 1 << 20:
                    shutil.copyfile(p, os.path.join(seeds, os.path.basename(src) + "_" + f))
        cmds = []
        for i in range(self.workers):
            role = ["-M", "main"] if i == 0 else ["-S", "s%d" % i]
            cmd = ["afl-fuzz"] + role + ["-i", seeds, "-o", os.path.join(self.dir, "afl"),
                                         "-V", str(max(1, left)), "-t", str(a.timeout * 1000),
                                         "-m", "none"]
            d = dict_for(t)
            cmds.append(cmd + (["-x", d] if d else []) + ["--", binary(a, t)])
        return cmds

    def artifacts(self):
        if self.a.engine == "libfuzzer":
            return sorted(glob.glob(os.path.join(self.dir, "artifacts", "*")))
        pats = [os.path.join(self.dir, "afl", "*", d, "id:*") for d in ("crashes", "hangs")]
        return sorted(p for pat in pats for p in glob.glob(pat))

    def collect(self):
        for p in self.artifacts():
            if p not in self.seen:
                self.seen.add(p)
                self.findings.add(record_finding(self.a, self.target, p))

    def poll(self, deadline):
        """Advances the job; True once it is finished."""
        if time.time() > deadline + GRACE:
            self.kill()
        if any(p.poll() is None for p in self.procs):
            return False
        if self.phase == "fuzz":
            before = len(self.seen)
            self.collect()
            failed = [p.returncode for p in self.procs if p.returncode != 0]
            if failed and len(self.seen) == before:
                print("campaign: %s: engine exited %d without a finding; see %s/engine.log" % (
                    self.target, failed[0], self.dir), flush=True)
                self.restarts = MAX_RESTARTS
            if self.end - time.time() >= 2 and self.restarts < MAX_RESTARTS and time.time() < deadline:
                self.restarts += 1  # a crash stopped a single-process engine early
                self.start_engine()
                return False
            self.phase = "merge"
            self.start_merge()
            return False
        self.finish_merge()
        return True

    def kill(self):
        for p in self.procs:
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait()

    def start_merge(self):
        """Minimises seeds + candidates + new inputs into candidates.new (libFuzzer -merge=1)."""
        a, t = self.a, self.target
        if a.engine == "afl":
            for q in glob.glob(os.path.join(self.dir, "afl", "*", "queue", "id:*")):
                shutil.copyfile(q, os.path.join(self.corpus, hashlib.sha1(
                    open(q, "rb").read()).hexdigest()))
        merger = os.path.join(a.build if a.engine == "libfuzzer" else a.merge_build, "fuzz",
                              "fuzz_" + t)
        self.new = fresh_dir(self.cand + ".new")
        self.procs = []
        if os.access(merger, os.X_OK):
            log = open(os.path.join(self.dir, "merge.log"), "w", encoding="utf-8")
            cmd = [merger, "-merge=1", "-timeout=%d" % a.timeout, "-rss_limit_mb=%d" % a.rss_mb,
                   self.new] + seed_dirs(t) + [self.cand, self.corpus]
            self.procs = [subprocess.Popen(cmd, stdout=log, stderr=log, start_new_session=True,
                                           env=dict(os.environ, **SAN_ENV))]
            log.close()

    def finish_merge(self):
        ok = self.procs and self.procs[0].returncode == 0
        if not ok:  # no merger: keep every distinct input
            for src in (self.cand, self.corpus):
                for f in os.listdir(src):
                    shutil.copyfile(os.path.join(src, f), os.path.join(self.new, f))
        shutil.rmtree(self.cand)
        os.rename(self.new, self.cand)
        # The working corpus restarts from the minimised set.
        shutil.rmtree(self.corpus)
        shutil.copytree(self.cand, self.corpus)

    def status(self):
        s = stats(self.a, self.target)
        return "%s cov %s corp %s exec/s %s" % (self.phase, s["cov"], s["corp"], s["exec"])


def stats(a, t):
    """Latest cov / corpus / exec/s of a target from its engine's log or fuzzer_stats."""
    d = os.path.join(a.work, t)
    s = {"cov": "-", "corp": "-", "exec": "-"}
    if a.engine == "afl":
        try:
            with open(os.path.join(d, "afl", "main", "fuzzer_stats"), encoding="utf-8") as f:
                kv = {k.strip(): v for k, v in (ln.split(":", 1) for ln in f.read().splitlines()
                                                if ":" in ln)}
            return {"cov": kv["bitmap_cvg"].strip(), "corp": kv["corpus_count"].strip(),
                    "exec": kv["execs_per_sec"].strip().split(".")[0]}
        except (OSError, KeyError):
            return s
    try:
        with open(os.path.join(d, "engine.log"), encoding="utf-8", errors="replace") as f:
            text = f.read()[-20000:]
    except OSError:
        return s
    for key, pat in (("cov", r"cov: (\d+)"), ("corp", r"corp: (\d+)"), ("exec", r"exec/s:? (\d+)")):
        m = re.findall(pat, text)
        if m:
            s[key] = m[-1]
    return s


def summarise(a, found):
    lines = ["", "%-24s %9s %8s %10s %9s" % ("target", "exec/s", "cov", "candidates", "findings")]
    for t in a.target_list:
        s = stats(a, t)
        cand = os.path.join(a.work, "candidates", t)
        n = len(os.listdir(cand)) if os.path.isdir(cand) else 0
        mine = sorted(f for f in found if f.startswith(t + "/"))
        lines.append("%-24s %9s %8s %10d %9d" % (t, s["exec"], s["cov"], n, len(mine)))
    lines.append("")
    if found:
        lines.append("campaign: %d distinct finding(s):" % len(found))
        lines += ["  %s (see %s/README.md)" % (f, os.path.join(a.findings, f.split("/")[0]))
                  for f in sorted(found)]
    else:
        lines.append("campaign: no findings; candidates in %s/candidates/ (corpora/ untouched%s)"
                     % (a.work, " but for --update-seeds" if a.update_seeds else ""))
    return "\n".join(lines)


def file_hash(path):
    with open(path, "rb") as f:
        return hashlib.sha1(f.read()).hexdigest()


def update_seeds(a, t):
    """Adds to corpora/<t>/ only the candidates that add coverage (libFuzzer -merge=1)."""
    merger = os.path.join(a.build if a.engine == "libfuzzer" else a.merge_build, "fuzz", "fuzz_" + t)
    if not os.access(merger, os.X_OK):
        print("campaign: --update-seeds needs the libFuzzer build (%s)" % merger)
        return
    seeds, others = seed_dirs(t)[0], seed_dirs(t)[1:]
    before = set(os.listdir(seeds))
    subprocess.run([merger, "-merge=1", "-timeout=%d" % a.timeout, seeds,
                    os.path.join(a.work, "candidates", t)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL, check=False, env=dict(os.environ, **SAN_ENV))
    # a copy of a file of another seed directory (a scenario file) stays where it is
    known = {file_hash(os.path.join(d, f)) for d in others for f in os.listdir(d)
             if os.path.isfile(os.path.join(d, f))}
    for f in set(os.listdir(seeds)) - before:
        if file_hash(os.path.join(seeds, f)) in known:
            os.remove(os.path.join(seeds, f))
    before = len(before)
    print("campaign: corpora/%s: %d -> %d seeds" % (t, before, len(os.listdir(seeds))))
