import sys; sys.path.insert(0,'/tmp/sx')
from ev import *
sites=[Site(n) for n in SITES]
def prep(s):
    s.ans=[]
    for p in s.past:
        if p['q']: continue
        q=s.posts.get(p['parent'])
        if not q: continue
        sc,acc,_=s.state[p['id']]
        s.ans.append((p['owner'],p['t'],q['tags'],gain(sc,acc)))
    tot=len(s.ans); s.tagshare=collections.Counter(t for a in s.ans for t in a[2])
    s.tot=tot
for s in sites: prep(s)
def model(h,alpha,use_gain,beta=1.0):
    def f(s,t):
        R=collections.Counter(); N=collections.Counter(); Nt=collections.Counter()
        for u,tt,tags,g in s.ans:
            w=0.5**((s.T-tt)/86400/h) if h else 1.0
            x=(g if use_gain else 1.0)
            R[u]+=w*x
            N[u]+=w; 
            if t in tags: Nt[u]+=w
        pt=s.tagshare[t]/s.tot
        return {u:R[u]*((Nt[u]+alpha*pt)/(N[u]+alpha))**beta for u in R}
    return f
import itertools
for h in [0,90,180,365,730]:
  for alpha in [0.5,2,8]:
    for ug in [False,True]:
      for beta in [0.5,1.0]:
        r=[s.evaluate(model(h,alpha,ug,beta))[0] for s in sites]
        print(h,alpha,ug,beta,' '.join('%.3f'%x for x in r),'mean %.3f'%(sum(r)/3))
