// Command bench times this lesson's encoder on the text and tokenizer.json
// that hf_bench.py gives the Hugging Face tokenizers library, so the two can
// be run side by side:
//
//	RAYON_NUM_THREADS=1 BAEUM_DATA=../shared/data /tmp/tokvenv/bin/python lessons/tokenize/bench/hf_bench.py
//	BAEUM_DATA=../shared/data go run ./lessons/tokenize/bench
//
// It prints MB/s (one goroutine; the first pass, then the best of 5 more)
// and the same checksum of the ids as hf_bench.py.
package main

import (
	"flag"
	"fmt"
	"log"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
)

func main() {
	name := flag.String("tokenizer", "bytelevel_bpe.json", "file in lessons/tokenize/testdata")
	flag.Parse()
	lines, err := benchLines()
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	mb := float64(n) / 1e6
	var best float64
	fmt.Printf("Go %s, %s, %d lines, %.2f MB, GOMAXPROCS=%d (encoding uses one goroutine)\n",
		runtime.Version(), *name, len(lines), mb, runtime.GOMAXPROCS(0))
	path := filepath.Join("lessons", "tokenize", "testdata", *name)
	tok, err := tokenize.LoadHF(path)
	if err != nil {
		log.Fatal(err)
	}
	// The first pass fills the word cache (cold); hf_bench.py's best of 5,
	// like the later passes here, runs with the library's cache filled (warm).
	for pass := 0; pass < 6; pass++ {
		start := time.Now()
		tokens, checksum := 0, 0
		for _, l := range lines {
			for _, id := range tok.EncodeNoTemplate(l) {
				tokens++
				checksum += id
			}
		}
		secs := time.Since(start).Seconds()
		if pass == 0 {
			fmt.Printf("go encode per line, cold cache %7.2f MB/s  %d tokens  checksum %d\n", mb/secs, tokens, checksum)
			best = secs
		}
		if pass > 0 {
			best = min(best, secs)
		}
	}
	fmt.Printf("go encode per line, best of 5  %7.2f MB/s\n", mb/best)
}

// benchLines must match bench_lines in hf_bench.py.
func benchLines() ([]string, error) {
	ko, err := mlx.ReadDataFile("nsmc/corpus_ko.txt")
	if err != nil {
		return nil, err
	}
	en, err := mlx.ReadDataFile("tinyshakespeare/input.txt")
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(ko), "\n")[100000:120000]
	return append(lines, strings.Split(string(en), "\n")[20000:40000]...), nil
}
