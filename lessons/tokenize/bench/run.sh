#!/bin/sh
# Runs hf_bench.py and main.go on the same text and tokenizer.json, one after
# the other, and prints the ratio of their best speeds. From the repository
# root:  sh lessons/tokenize/bench/run.sh [bytelevel_bpe.json] [python]
set -e
name=${1:-bytelevel_bpe.json}
python=${2:-/tmp/tokvenv/bin/python}
export BAEUM_DATA=${BAEUM_DATA:-../shared/data}
hf=$(RAYON_NUM_THREADS=1 "$python" lessons/tokenize/bench/hf_bench.py "$name")
go=$(go run ./lessons/tokenize/bench -tokenizer "$name")
echo "$hf"
echo "$go"
hfbest=$(echo "$hf" | awk '/^hf /{for(i=1;i<=NF;i++) if($i=="MB/s") print $(i-1)}' | sort -g | tail -1)
gobest=$(echo "$go" | awk '/best of 5/{for(i=1;i<=NF;i++) if($i=="MB/s") print $(i-1)}')
awk -v g="$gobest" -v h="$hfbest" 'BEGIN{printf "Go / tokenizers (both one thread, best of each): %.1fx\n", g/h}'
