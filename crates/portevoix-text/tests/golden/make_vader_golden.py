#!/usr/bin/env python3
"""Golden outputs of the reference VADER implementations for `tests/sentiment_golden.rs`.

Reference packages (both MIT):

* English: ``vaderSentiment==3.3.2`` (listed in ``benches/peers/requirements.txt``).
* French: ``vaderSentiment-fr==1.3.4``, installed into the same venv by hand, on purpose
  not listed in ``benches/peers/requirements.txt``::

      benches/peers/.venv/bin/pip install vaderSentiment-fr==1.3.4

Run from the repository root::

      benches/peers/.venv/bin/python crates/portevoix-text/tests/golden/make_vader_golden.py

It writes, gzip-compressed, one TSV per language (``row``, ``id``, ``neg``, ``neu``, ``pos``,
``compound``; floats with Python's shortest round-trip ``repr``):

* ``vader_en_airline.tsv.gz``: ``SentimentIntensityAnalyzer().polarity_scores`` of every row of
  ``airline-sentiment/tweets.csv`` (column ``text``), in file order;
* ``vader_fr_media.tsv.gz``: ``vaderSentiment_fr``'s ``polarity_scores`` of every distinct tweet
  (by id, first seen wins) of ``fr-media/twitter-tweets.json`` then ``fr-media/fusion.json``.

and, as JSON Lines (``{"text", "neg", "neu", "pos", "compound"}``), a differential corpus of
synthetic texts built (seeded, reproducible) from each language's rule words, lexicon words,
emoticons, emoji, capitals, punctuation runs and odd whitespace, to reach the rules the real
posts rarely exercise: ``vader_en_synthetic.jsonl.gz`` and ``vader_fr_synthetic.jsonl.gz``.

The datasets directory is ``$PORTEVOIX_DATASETS`` or ``../shared/datasets`` from the repository root.
"""
import csv
import gzip
import json
import os
import sys

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer as EnAnalyzer
from vaderSentiment_fr.vaderSentiment import SentimentIntensityAnalyzer as FrAnalyzer

HERE = os.path.dirname(os.path.abspath(__file__))


def datasets_dir():
    env = os.environ.get("PORTEVOIX_DATASETS")
    if env:
        return env
    d = HERE
    while True:
        cand = os.path.join(d, "shared", "datasets")
        if os.path.isdir(cand):
            return cand
        parent = os.path.dirname(d)
        if parent == d:
            sys.exit("shared datasets not found: set PORTEVOIX_DATASETS")
        d = parent


def write(name, rows):
    path = os.path.join(HERE, name)
    with gzip.open(path, "wt", encoding="utf-8", newline="\n") as out:
        out.write("row\tid\tneg\tneu\tpos\tcompound\n")
        for row, tid, s in rows:
            out.write(f"{row}\t{tid}\t{s['neg']!r}\t{s['neu']!r}\t{s['pos']!r}\t{s['compound']!r}\n")
    print(f"{path}: {len(rows)} rows")


def french_tweets(base):
    seen = set()
    out = []
    for name in ("twitter-tweets.json", "fusion.json"):
        with open(os.path.join(base, "fr-media", name), encoding="utf-8") as f:
            data = json.load(f)
        for _author, tweets in data.items():
            for t in tweets:
                if t["id"] in seen:
                    continue
                seen.add(t["id"])
                out.append((t["id"], t["text"]))
    return out


EN_RULE_WORDS = (
    "no not never so this without doubt least at very but kind of sort just enough isn't "
    "don't can't nor or the shit bomb bad ass bus stop yeah right kiss death to die for "
    "beating heart kinda very extremely barely hardly most more less little totally"
).split()
FR_RULE_WORDS = (
    "pas jamais plus rien sans ni ne n' mais très trop vraiment super peu moins assez "
    "à peine peu près quelque putain de sérieux serieux sérieuse saoule no or nor least "
    "at very kind of the shit bus stop"
).split()
EXTRA = [":)", ":(", ":D", ":-D", "XD", "<3", "lol", "LOL", "!!!", "?", "??", "????",
         "...", "..", "......", "!", "!?", "😁", "💘", "😡", "👍🏽", "❤️", "🇫🇷", "—",
         "«", "»", "l'avion", "l’hôtel", "GOOD", "BAD", "Great", "ÉNORME", "",
         "\t", "\n", "\u00a0", "\u2009", "\x1c", "'", "''", "-", "--"]


def synthetic(lexicon_words, rule_words, seed, n):
    import random
    rng = random.Random(seed)
    vocab = lexicon_words + rule_words * 20 + EXTRA * 5
    out = []
    for _ in range(n):
        words = []
        for _ in range(rng.randint(0, 18)):
            w = rng.choice(vocab)
            r = rng.random()
            if r < 0.1:
                w = w.upper()
            elif r < 0.15:
                w = w.capitalize()
            elif r < 0.25:
                w = w + rng.choice(["!", ".", ",", "?", "!!", "'", ":", ")"])
            words.append(w)
        sep = rng.choice([" ", " ", " ", "  ", "\n", " \t"])
        out.append(sep.join(words))
    return out


def write_jsonl(name, analyzer, texts):
    path = os.path.join(HERE, name)
    with gzip.open(path, "wt", encoding="utf-8", newline="\n") as out:
        for t in texts:
            s = analyzer.polarity_scores(t)
            out.write(json.dumps({"text": t, **s}, ensure_ascii=False) + "\n")
    print(f"{path}: {len(texts)} texts")


def main():
    base = datasets_dir()
    en = EnAnalyzer()
    rows = []
    with open(os.path.join(base, "airline-sentiment", "tweets.csv"), encoding="utf-8", newline="") as f:
        for i, rec in enumerate(csv.DictReader(f)):
            rows.append((i, rec["tweet_id"], en.polarity_scores(rec["text"])))
    write("vader_en_airline.tsv.gz", rows)

    fr = FrAnalyzer()
    rows = [(i, tid, fr.polarity_scores(text)) for i, (tid, text) in enumerate(french_tweets(base))]
    write("vader_fr_media.tsv.gz", rows)

    en_words = sorted(w for w in en.lexicon if w.isalpha())[::4]
    write_jsonl("vader_en_synthetic.jsonl.gz", en, synthetic(en_words, EN_RULE_WORDS, 2014, 5000))
    fr_lex_words = []
    with open(os.path.join(os.path.dirname(FrAnalyzer.__init__.__code__.co_filename), "fr_lexicon.txt"),
              encoding="utf-8") as f:
        for line in f:
            w = line.strip().split("->")[0]
            if w.replace(" ", "").isalpha():
                fr_lex_words.append(w)
    write_jsonl("vader_fr_synthetic.jsonl.gz", fr, synthetic(fr_lex_words[::4], FR_RULE_WORDS, 2022, 5000))


if __name__ == "__main__":
    main()
