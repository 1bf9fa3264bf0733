import pickle, math, collections, sys
def ndcg(scores, gains, pop, k=10):
    # ties to smaller id
    order=sorted(pop,key=lambda u:(-scores.get(u,0.0),u))[:k]
    dcg=sum(gains.get(u,0)/math.log2(i+2) for i,u in enumerate(order))
    ideal=sorted((gains.get(u,0) for u in pop),reverse=True)[:k]
    idcg=sum(g/math.log2(i+2) for i,g in enumerate(ideal))
    return dcg/idcg if idcg>0 else None
def gain(s,acc): return max(s,0)+1+(1 if acc else 0)
class Site:
    def __init__(s,name):
        posts,votes,comments=pickle.load(open(f'/tmp/sx/{name}.pkl','rb'))
        s.name=name
        qs=sorted(p['t'] for p in posts.values() if p['q'])
        T=qs[len(qs)//2]; s.T=T
        s.posts=posts
        pop=set()
        for p in posts.values():
            if p['t']<T and p['owner'] is not None: pop.add(p['owner'])
        for u,t in comments:
            if t<T: pop.add(u)
        s.pop=sorted(pop)
        st=collections.defaultdict(lambda:[0,False,0])  # score, accepted, acc time
        for pid,vt,t in votes:
            if t>=T: continue
            if vt==2: st[pid][0]+=1
            elif vt==3: st[pid][0]-=1
            elif vt==1: st[pid][1]=True; st[pid][2]=t
        s.state=st
        s.past=[p for p in posts.values() if p['t']<T and p['owner'] is not None]
        pq=collections.Counter(t for p in s.past if p['q'] for t in p['tags'])
        fut=collections.defaultdict(lambda:(set(),collections.Counter()))
        for a in posts.values():
            if a['q'] or a['t']<T or a['owner'] is None: continue
            q=posts.get(a['parent'])
            if not q: continue
            g=gain(a['score'],q['acc']==a['id'])
            for t in q['tags']:
                fut[t][0].add(q['id']); fut[t][1][a['owner']]+=g
        s.tags=sorted(t for t,c in pq.items() if c>=10 and len(fut[t][0])>=5 and any(fut[t][1][u]>0 for u in s.pop))
        s.future={t:fut[t][1] for t in s.tags}
        s.popset=set(s.pop)
    def evaluate(s,scorer):
        vals=[]
        for t in s.tags:
            sc=scorer(s,t)
            v=ndcg(sc,s.future[t],s.pop)
            if v is not None: vals.append(v)
        return sum(vals)/len(vals), len(vals)
SITES=['cardano','quantumcomputing','ai','coffee']
