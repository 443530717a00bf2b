#!/usr/bin/env python3
"""check_md.py MODE FILE: raw Markdown read as CommonMark and GFM read it,
line by line, so that tests can tell the code spans from the prose.

  prose  each line with its code spans and <code> elements left out (what
         Markdown and the forges' mention and reference links act on)
  code   the content of each code span, one a line, as it shows: one space
         taken from both ends when both are spaces, and in a table row (a
         line that starts with '|') `\\|` as '|'; and of each <code>
         element (of an HTML line), its character references decoded
  cells  the number of cells of each table row (written with a leading and
         a trailing '|'): the '|' that no backslash escapes, less one (GFM
         splits a row at each of them, even inside code spans)

A code span opens at a run of backticks that no backslash escapes and
closes at the next run of exactly as many; a run with no match is text.
The checks grep the output.  Exits 0."""
import html
import re
import sys

CODE_ELEMENT = re.compile(r"<code>(.*?)</code>")


def run_at(line, i):
    j = i
    while j < len(line) and line[j] == "`":
        j += 1
    return j


def split(line):
    """[(kind, text)] with kind "prose" or "code", in order."""
    parts, prose, i = [], [], 0
    while i < len(line):
        c = line[i]
        if c == "\\" and i + 1 < len(line):
            prose.append(line[i:i + 2])
            i += 2
            continue
        if c != "`":
            prose.append(c)
            i += 1
            continue
        j = run_at(line, i)
        n, k, close = j - i, j, -1
        while k < len(line):
            if line[k] == "`":
                m = run_at(line, k)
                if m - k == n:
                    close = k
                    break
                k = m
            else:
                k += 1
        if close < 0:
            prose.append(line[i:j])
            i = j
            continue
        parts.append(("prose", "".join(prose)))
        prose = []
        body = line[j:close]
        if len(body) >= 2 and body[0] == " " and body[-1] == " " and body.strip(" "):
            body = body[1:-1]
        if line.lstrip().startswith("|"):
            body = body.replace("\\|", "|")
        parts.append(("code", body))
        i = close + n
    parts.append(("prose", "".join(prose)))
    return parts


def cells(line):
    n, i = -1, 0
    while i < len(line):
        if line[i] == "\\":
            i += 2
            continue
        if line[i] == "|":
            n += 1
        i += 1
    return n


def main():
    mode, path = sys.argv[1], sys.argv[2]
    for line in open(path, encoding="utf-8").read().split("\n"):
        elements = CODE_ELEMENT.findall(line)
        rest = CODE_ELEMENT.sub("", line)
        if mode == "prose":
            print("".join(t for k, t in split(rest) if k == "prose"))
        elif mode == "code":
            for t in elements:
                print(html.unescape(t))
            for k, t in split(rest):
                if k == "code":
                    print(t)
        elif mode == "cells" and line.lstrip().startswith("|"):
            print(cells(line))


main()
