#!/usr/bin/env python3
# bench/ab.py: commands timed in turn, not one after the other.
#
#   python3 bench/ab.py RUNS 'CMD A' 'CMD B' ...
#
# hyperfine runs every run of one command before the next command: on a
# shared VM a slow minute then lands on one command only (this machine's
# bare `go build` of go/ssa moved between 150 and 200 ms within minutes).
# Here run i of every command comes before run i + 1 of any, so a slow
# stretch hits them all alike; the medians are what docs/benchmarks.md
# compares two builds by.  Each round runs the commands in an order of its
# own (shuffled, the same seed every time): a review run just after a
# `go build` of go/ssa took 3 ms longer than the same review later in the
# round (66.7 against 63.6 ms, 120 rounds), so a fixed order favours the
# command that never follows go.  Each command is split on spaces (no
# shell, no quoting); its output goes to /dev/null.  Two warm-up runs each
# first.
import random
import statistics
import subprocess
import sys
import time


def main():
    if len(sys.argv) < 3 or not sys.argv[1].isdigit():
        sys.exit("usage: bench/ab.py RUNS 'COMMAND' ['COMMAND'...]")
    runs = int(sys.argv[1])
    cmds = [c.split() for c in sys.argv[2:]]
    times = [[] for _ in cmds]

    def once(cmd):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        return (time.perf_counter() - t) * 1000

    for cmd in cmds:
        once(cmd)
        once(cmd)
    order = list(range(len(cmds)))
    shuffle = random.Random(1).shuffle
    for _ in range(runs):
        shuffle(order)
        for k in order:
            times[k].append(once(cmds[k]))
    for k, cmd in enumerate(cmds):
        t = sorted(times[k])
        print("median %7.1f ms  p25 %7.1f  p75 %7.1f  mean %7.1f  %s"
              % (statistics.median(t), t[len(t) // 4], t[3 * len(t) // 4],
                 statistics.mean(t), " ".join(cmd)))


if __name__ == "__main__":
    main()
