#!/usr/bin/env python3
"""CPU seconds of a test run by kind of process (test JVMs, launched servers, Chromium, Maven, ...).

Usage: bench/cpu-by-process.py ROOT OUT TOPPID
Every 0.5 s, samples utime+stime of each process that descends from TOPPID or whose cwd or command line
mentions ROOT, until ROOT/done exists; writes OUT (CPU seconds, process count and kind, largest first) and
OUT.json (one entry per process, with when it was first seen). A process shorter than 0.5 s is missed; a
shell that execs java (entrypoint.sh) is counted under the java it became. For a clean-clone CI:
  (bash -c 'CI=true bash .ci/run > ci.log 2>&1; touch done' & echo $! > pid)
  bench/cpu-by-process.py "$PWD" /tmp/ci.cpu "$(cat pid)"
"""
import os, sys, time, re, collections, json
root = sys.argv[1]; out = sys.argv[2]; toppid = sys.argv[3]
hz = os.sysconf('SC_CLK_TCK')
seen = {}; first = {}; cmds = {}
def kind(cmd):
    if 'surefire' in cmd and 'failsafe' in cmd: return 'failsafe-jvm'
    if 'surefirebooter' in cmd or 'surefire' in cmd: return 'test-jvm'
    if 'plexus-classworlds' in cmd or 'org.codehaus.plexus' in cmd: return 'maven'
    if 'java' in cmd.split(' ')[0] or '/java ' in cmd:
        m = re.search(r'(io\.piholecheckpoint\.[\w.]+|-jar \S+|org\.eclipse\.jetty\.\S+|org\.apache\.catalina\S*)', cmd)
        return 'java:' + (m.group(1) if m else cmd[:60])
    return cmd.split(' ')[0].split('/')[-1][:40]
def ppids():
    m = {}
    for q in os.listdir('/proc'):
        if q.isdigit():
            try:
                st = open(f'/proc/{q}/stat').read(); m[q] = st[st.rfind(')')+2:].split()[1]
            except Exception: pass
    return m
def under(p, m):
    for _ in range(40):
        if p == toppid: return True
        p = m.get(p)
        if not p or p == '0': return False
    return False
while not os.path.exists(os.path.join(root, 'done')):
    pp = ppids()
    for p in os.listdir('/proc'):
        if not p.isdigit(): continue
        try:
            st = open(f'/proc/{p}/stat').read()
            f = st[st.rfind(')')+2:].split()
            cpu = (int(f[11]) + int(f[12])) / hz
            key = p + ':' + f[19]
            prev = seen.get(key)
            if prev:
                k = prev[0]
                if not k.startswith('java') and k != 'test-jvm' and k != 'maven':
                    # a shell that has exec'd java since: counted as what it became
                    k = kind(open(f'/proc/{p}/cmdline','rb').read().replace(b'\0',b' ').decode(errors='replace'))
                seen[key] = (k, cpu); continue
            cmd = open(f'/proc/{p}/cmdline','rb').read().replace(b'\0',b' ').decode(errors='replace')
            try: cwd = os.readlink(f'/proc/{p}/cwd')
            except Exception: cwd = ''
            if root not in cmd and not cwd.startswith(root) and not under(p, pp):
                continue
            seen[key] = (kind(cmd), cpu); first[key] = time.time(); cmds[key] = cmd[:400]
        except Exception:
            pass
    time.sleep(0.5)
agg = collections.Counter(); cnt = collections.Counter()
for k,(kd,c) in seen.items(): agg[kd]+=c; cnt[kd]+=1
with open(out,'w') as o:
    for kd,c in agg.most_common(): o.write(f"{c:9.1f} s  {cnt[kd]:5d}  {kd}\n")
json.dump([{'key':k,'kind':v[0],'cpu':v[1],'first':first.get(k),'cmd':cmds.get(k)} for k,v in seen.items()], open(out+'.json','w'))
