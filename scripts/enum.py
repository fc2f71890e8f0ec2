#!/usr/bin/env python3
"""Print the members of a C enum from a UAPI header with their values: enum.py HEADER PREFIX.
Used to write schema tables from the kernel's own headers (values are facts, not code)."""
import re, sys
text = open(sys.argv[1]).read()
text = re.sub(r'/\*.*?\*/', '', text, flags=re.S)
text = re.sub(r'//[^\n]*', '', text)
prefix = sys.argv[2]
for body in re.findall(r'enum\s*\w*\s*\{(.*?)\}', text, flags=re.S):
    val = -1
    found = []
    for item in body.split(','):
        item = item.strip()
        if not item or item.startswith('#'):
            item = '\n'.join(l for l in item.split('\n') if not l.strip().startswith('#')).strip()
            if not item: continue
        m = re.match(r'(\w+)\s*(=\s*(.+))?$', item, flags=re.S)
        if not m: continue
        name, expr = m.group(1), m.group(3)
        if expr:
            try: val = int(eval(expr.strip(), {}, dict(found)))
            except Exception: val = dict(found).get(expr.strip(), val)
        else: val += 1
        found.append((name, val))
    if any(n.startswith(prefix) for n, _ in found):
        for n, v in found:
            if n.startswith(prefix) and not n.startswith('__'): print(n, v)
