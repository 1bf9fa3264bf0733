import sys; sys.path.insert(0,'/tmp/sx')
from ev import *
exec(open('/tmp/sx/feat.py').read().split('import itertools')[0])
def model(h,alpha,beta):
    def f(s,t):
        R=collections.Counter(); N=collections.Counter(); Nt=collections.Counter()
        for u,tt,tags,g in s.ans:
            R[u]+=0.5**((s.T-tt)/86400/h); N[u]+=1
            if t in tags: Nt[u]+=1
        pt=s.tagshare[t]/s.tot
        return {u:R[u]*((Nt[u]+alpha*pt)/(N[u]+alpha))**beta for u in R}
    return f
grid=[(h,a,b) for h in [7,15,30,60,90,180] for a in [2,8,32,128] for b in [0,0.25,0.5,1]]
table={g:[s.evaluate(model(*g))[0] for s in sites] for g in grid}
for i,s in enumerate(sites):
    best=max(grid,key=lambda g: sum(table[g][j] for j in range(3) if j!=i))
    print('held out',s.name,'chosen',best,'held-out ndcg %.3f'%table[best][i])
best=max(grid,key=lambda g: sum(table[g]))
print('all three',best,[round(x,3) for x in table[best]])
print('chosen default (30,32,0.25)',[round(x,3) for x in table[(30,32,0.25)]])
