import xml.etree.ElementTree as ET, math, sys, re, collections, datetime, itertools
D='/work/shared/datasets/stackexchange/'
def ts(s): return datetime.datetime.fromisoformat(s).timestamp()
def load(site):
    posts={}
    for _,e in ET.iterparse((D+site if site!='coffee' else '/tmp/sx/coffee_x')+'/Posts.xml'):
        if e.tag!='row': continue
        a=e.attrib; pt=a.get('PostTypeId')
        if pt not in ('1','2'): e.clear(); continue
        owner=a.get('OwnerUserId')
        posts[int(a['Id'])]=dict(id=int(a['Id']),q=pt=='1',parent=int(a['ParentId']) if 'ParentId' in a else None,
            t=ts(a['CreationDate']),tags=re.findall(r'[^<>|]+',a.get('Tags','')),score=int(a.get('Score','0')),
            acc=int(a['AcceptedAnswerId']) if 'AcceptedAnswerId' in a else None,owner=int(owner) if owner else None)
        e.clear()
    votes=[]
    for _,e in ET.iterparse((D+site if site!='coffee' else '/tmp/sx/coffee_x')+'/Votes.xml'):
        if e.tag!='row': continue
        a=e.attrib
        if 'CreationDate' in a: votes.append((int(a['PostId']),int(a['VoteTypeId']),ts(a['CreationDate'])))
        e.clear()
    comments=[]
    for _,e in ET.iterparse((D+site if site!='coffee' else '/tmp/sx/coffee_x')+'/Comments.xml'):
        if e.tag!='row': continue
        a=e.attrib
        if 'UserId' in a: comments.append((int(a['UserId']),ts(a['CreationDate'])))
        e.clear()
    return posts,votes,comments
