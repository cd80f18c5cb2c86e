"""Deterministically derive sys2.txt … sys5.txt from hyp.txt / ref.txt.
Line numbers i are 1-based. Tokens = str.split() on whitespace, rejoined with single spaces
only for lines that are modified; unmodified lines are copied verbatim.
sys2: if i % 3 == 0 and the line has >= 1 token: drop its last token.
      then, if i % 5 == 0 and the line has >= 2 tokens: swap its first two tokens.
      (line 15 gets both: drop last, then swap first two)
sys3: if i % 4 == 0: the line is replaced by line 1 of ref.txt; else copied from hyp.txt.
sys4: if i % 150 == 0 and the line has >= 1 token: drop its last token (6 lines changed; p~0.03-0.04).
sys5: if i % 300 == 0 and the line has >= 1 token: drop its last token (3 lines changed; p~0.07-0.08).
Files are read/written as UTF-8 with '\n' line endings, one trailing newline per line.
"""
D = '../'  # the reference folder: hyp.txt, ref.txt
O = './'
hyp = open(D + 'hyp.txt', encoding='utf-8').read().split('\n')
if hyp and hyp[-1] == '':
    hyp = hyp[:-1]
ref1 = open(D + 'ref.txt', encoding='utf-8').readline().rstrip('\n')

sys2 = []
for i, line in enumerate(hyp, 1):
    if i % 3 == 0 or i % 5 == 0:
        t = line.split()
        if i % 3 == 0 and len(t) >= 1:
            t = t[:-1]
        if i % 5 == 0 and len(t) >= 2:
            t[0], t[1] = t[1], t[0]
        line = ' '.join(t)
    sys2.append(line)
sys3 = [ref1 if i % 4 == 0 else line for i, line in enumerate(hyp, 1)]

def drop_last_every(k):
    out = []
    for i, line in enumerate(hyp, 1):
        if i % k == 0:
            t = line.split()
            if len(t) >= 1:
                line = ' '.join(t[:-1])
        out.append(line)
    return out
sys4 = drop_last_every(150)
sys5 = drop_last_every(300)

for name, lines in (('sys2.txt', sys2), ('sys3.txt', sys3), ('sys4.txt', sys4), ('sys5.txt', sys5)):
    with open(O + name, 'w', encoding='utf-8', newline='\n') as f:
        f.write(''.join(l + '\n' for l in lines))
