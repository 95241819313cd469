#!/usr/bin/env python3
"""Writes a libFuzzer dictionary of the grammar's literal tokens (keywords, operators).

  grammar_dict.py Fulcrum.tokens OUT.dict

Reads the token file antlr4 writes beside the generated parser (lines like 'metric'=12), so the
grammar stays the one list of them. check_fuzz's mutations then insert whole tokens such as
`key_result` or `??`, which byte flips rarely spell.
"""
import re
import sys


def main():
    tokens, out = sys.argv[1], sys.argv[2]
    literals = []
    for line in open(tokens, encoding="utf-8"):
        match = re.fullmatch(r"'(.*)'=\d+", line.rstrip("\n"))
        if match:
            literals.append(match.group(1).replace("\\'", "'"))
    with open(out, "w", encoding="utf-8") as dictionary:
        dictionary.write("# the grammar's literal tokens, from Fulcrum.tokens (fuzz/grammar_dict.py)\n")
        for literal in sorted(set(literals)):
            escaped = literal.replace("\\", "\\\\").replace('"', '\\"')
            dictionary.write(f'"{escaped}"\n')


if __name__ == "__main__":
    main()
