#!/usr/bin/env bash
# Downloads the full public datasets that Porte-voix reads as published.
# Needs internet access (curl). Usage: datasets/fetch.sh [DIR]   (default: datasets/full)
set -euo pipefail
dir=${1:-"$(dirname "$0")/full"}
mkdir -p "$dir"
snap=https://snap.stanford.edu/data
files=(
  "$snap/higgs-social_network.edgelist.gz"
  "$snap/higgs-retweet_network.edgelist.gz"
  "$snap/higgs-reply_network.edgelist.gz"
  "$snap/higgs-mention_network.edgelist.gz"
  "$snap/higgs-activity_time.txt.gz"
  "$snap/twitter_combined.txt.gz"
  "$snap/soc-sign-bitcoinotc.csv.gz"
  "$snap/soc-sign-bitcoinalpha.csv.gz"
  "$snap/soc-sign-epinions.txt.gz"
  "$snap/soc-Slashdot0902.txt.gz"
  "$snap/soc-sign-Slashdot090221.txt.gz"
)
for url in "${files[@]}"; do
  out="$dir/$(basename "$url")"
  if [ -s "$out" ]; then echo "have $out"; continue; fi
  echo "get  $url"
  curl -fL --retry 3 -o "$out.part" "$url" && mv "$out.part" "$out"
done
# Twitter15/16: distributed by the authors of Ma et al. (ACL 2017) as rumor_detection_acl2017.zip;
# the link is in their paper's repository. Unzip it into "$dir/rumor_detection_acl2017/".
if [ ! -d "$dir/rumor_detection_acl2017" ]; then
  echo "Twitter15/16: download rumor_detection_acl2017.zip from the authors' link (see datasets/README.md) and unzip it into $dir/"
fi
( cd "$dir" && sha256sum ./*.gz )
