package rnn

import (
	"os"
	"strconv"
	"testing"
)

func BenchmarkScratch(b *testing.B) {
	corpus, err := LoadCorpus(Shakespeare)
	if err != nil {
		b.Skip(err)
	}
	cfg := DefaultConfig(Shakespeare)
	if v := os.Getenv("SEQ"); v != "" {
		cfg.SeqLen, _ = strconv.Atoi(v)
	}
	if v := os.Getenv("BATCH"); v != "" {
		cfg.BatchSize, _ = strconv.Atoi(v)
	}
	benchTrainStep(b, corpus, cfg)
}
