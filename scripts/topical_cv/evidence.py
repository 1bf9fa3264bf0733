"""On-topic evidence of the people `portevoix topics --json` lists: for each topic, how many answers to the
topic's questions each listed person wrote (from the dump's Posts.xml). Prints the share of listed people with fewer
than 2 such answers and with none. Usage: evidence.py SITE_DIR TOPICS.jsonl [-v]."""
import json, re, sys, collections, xml.etree.ElementTree as ET, pickle, os
site, jsonl = sys.argv[1], sys.argv[2]
cache = f"/tmp/topical-evidence-{os.path.basename(os.path.normpath(site))}.pkl"
if os.path.exists(cache):
    per = pickle.load(open(cache, 'rb'))
else:
    posts = {}
    for ev, el in ET.iterparse(os.path.join(site, 'Posts.xml')):
        if el.tag == 'row':
            posts[el.get('Id')] = (el.get('PostTypeId'), el.get('ParentId'), el.get('OwnerUserId'), el.get('Tags', '')); el.clear()
    per = collections.Counter()
    for t, parent, owner, _ in posts.values():
        if t != '2' or parent not in posts: continue
        for tag in re.findall(r'<([^>]+)>', posts[parent][3]) or posts[parent][3].strip('|').split('|'):
            per[(owner, tag)] += 1
    pickle.dump(per, open(cache, 'wb'))
thin = tot = 0; zero = 0; sums = []
for line in open(jsonl):
    row = json.loads(line); tag = row['topic']
    ids = [str(p.get('id') or p.get('account_id') or '') for p in row['people']]
    n = [per[(i, tag)] for i in ids]
    thin += sum(1 for x in n if x < 2); zero += sum(1 for x in n if x == 0); tot += len(n); sums.append(sum(n) / max(len(n), 1))
    if len(sys.argv) > 3: print(tag, list(zip([p.get('name') for p in row['people']], n)))
print(f'{os.path.basename(site)}: listed {tot}, with <2 on-topic answers {thin} ({thin/tot:.2f}), with 0 {zero}, mean on-topic answers of the listed {sum(sums)/len(sums):.1f}')
