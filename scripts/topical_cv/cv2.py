import sys; sys.path.insert(0,'/tmp/sx')
from ev import *
exec(open('/tmp/sx/feat.py').read().split('import itertools')[0])
import bisect
for s in sites:
    s.times=sorted(a[1] for a in s.ans)
def model(h,alpha,beta,pace):
    def f(s,t):
        R=collections.Counter(); N=collections.Counter(); Nt=collections.Counter()
        n=len(s.times)
        for u,tt,tags,g in s.ans:
            if pace: after=n-bisect.bisect_right(s.times,tt); w=0.5**(after/h)
            else: w=0.5**((s.T-tt)/86400/h)
            R[u]+=w; N[u]+=1
            if t in tags: Nt[u]+=1
        pt=s.tagshare[t]/s.tot
        return {u:R[u]*((Nt[u]+alpha*pt)/(N[u]+alpha))**beta for u in R}
    return f
grid=[(h,a,b,False) for h in [7,15,30,60,120,240] for a in [8,32,128] for b in [0,0.25,0.5,1]]
grid+=[(h,a,b,True) for h in [25,50,100,200,400,800] for a in [8,32,128] for b in [0,0.25,0.5,1]]
table={g:[s.evaluate(model(*g))[0] for s in sites] for g in grid}
import pickle; pickle.dump(table,open('/tmp/sx/table.pkl','wb'))
for pace in [False,True]:
    G=[g for g in grid if g[3]==pace]
    tot=[]
    for i,s in enumerate(sites):
        best=max(G,key=lambda g: sum(table[g][j] for j in range(4) if j!=i))
        print('pace',pace,'held out',s.name,'chosen',best,'held-out ndcg %.3f'%table[best][i]); tot.append(table[best][i])
    best=max(G,key=lambda g: sum(table[g]))
    print('LOSO mean %.3f'%(sum(tot)/4),'all four',best,[round(x,3) for x in table[best]])
