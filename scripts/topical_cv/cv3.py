import sys; sys.path.insert(0,'/tmp/sx')
from ev import *
exec(open('/tmp/sx/feat.py').read().split('import itertools')[0])
import bisect
for s in sites:
    s.times=sorted(a[1] for a in s.ans)
    s.meang=sum(a[3] for a in s.ans)/len(s.ans)
    com=pickle.load(open(f'/tmp/sx/{s.name}.com.pkl','rb')) if s.name!='coffee' else []
    s.com=[(u,t) for u,t,_ in com if t<s.T]
import xml.etree.ElementTree as ET, datetime
for s in sites:
    if s.name=='coffee':
        for _,e in ET.iterparse('/tmp/sx/coffee_x/Comments.xml'):
            if e.tag=='row' and 'UserId' in e.attrib:
                t=datetime.datetime.fromisoformat(e.attrib['CreationDate']).timestamp()
                if t<s.T: s.com.append((int(e.attrib['UserId']),t))
            e.clear()
    s.ctimes=sorted(t for u,t in s.com)
def model(h,alpha,beta,gam,c,cw):
    def f(s,t):
        R=collections.Counter(); N=collections.Counter(); Nt=collections.Counter(); G=collections.Counter()
        n=len(s.times)
        for u,tt,tags,g in s.ans:
            after=n-bisect.bisect_right(s.times,tt); w=0.5**(after/h)
            R[u]+=w; N[u]+=1; G[u]+=g
            if t in tags: Nt[u]+=1
        if cw:
            m=len(s.ctimes)
            for u,tt in s.com:
                after=m-bisect.bisect_right(s.ctimes,tt); R[u]+=cw*0.5**(after/(h*m/n))
        pt=s.tagshare[t]/s.tot
        return {u:R[u]*((Nt[u]+alpha*pt)/(N[u]+alpha))**beta*((G[u]+c*s.meang)/(N[u]+c))**gam for u in R}
    return f
grid=[(h,a,b,0,2,cw) for h in [25,50,100] for a in [8,32,128] for b in [0.125,0.25,0.5] for cw in [0.2,0.3,0.5,1.0]]
table={g:[s.evaluate(model(*g))[0] for s in sites] for g in grid}
tot=[]
for i,s in enumerate(sites):
    best=max(grid,key=lambda g: sum(table[g][j] for j in range(4) if j!=i))
    print('held out',s.name,'chosen',best,'held-out ndcg %.3f'%table[best][i]); tot.append(table[best][i])
best=max(grid,key=lambda g: sum(table[g]))
print('LOSO mean %.3f'%(sum(tot)/4),'all four',best,[round(x,3) for x in table[best]])
for g in sorted(grid,key=lambda g:-sum(table[g]))[:8]: print(g,[round(x,3) for x in table[g]])
