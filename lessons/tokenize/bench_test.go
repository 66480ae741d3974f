package tokenize

import (
	"strings"
	"testing"
)

// benchLines is the text of bench/main.go and bench/hf_bench.py: 20,000
// Korean reviews and 20,000 lines of Shakespeare that the reference
// tokenizers were not trained on.
func benchLines(b *testing.B) ([]string, int) {
	b.Helper()
	ko := strings.Split(testCorpus(b, "ko", 0), "\n")[100000:120000]
	en := strings.Split(testCorpus(b, "en", 0), "\n")[20000:40000]
	lines := append(ko, en...)
	n := 0
	for _, l := range lines {
		n += len(l)
	}
	return lines, n
}

// BenchmarkEncodeHF measures encoding throughput (MB/s) line by line with the
// reference tokenizer.json files, the word cache warm after the first pass.
// Compare with `go run ./lessons/tokenize/bench` and bench/hf_bench.py.
func BenchmarkEncodeHF(b *testing.B) {
	lines, n := benchLines(b)
	for _, name := range []string{"bytelevel_bpe.json", "wordpiece_cased.json"} {
		b.Run(strings.TrimSuffix(name, ".json"), func(b *testing.B) {
			tok := loadHFTestdata(b, name)
			b.SetBytes(int64(n))
			b.ReportAllocs()
			for b.Loop() {
				for _, l := range lines {
					tok.EncodeNoTemplate(l)
				}
			}
		})
	}
}

// BenchmarkEncodeBPE measures the byte-level BPE trained here (4,000 tokens on
// 1 MB of Korean and 1 MB of English) on the same lines.
func BenchmarkEncodeBPE(b *testing.B) {
	lines, n := benchLines(b)
	tok, err := TrainBPE(testCorpus(b, "ko", 1<<20)+testCorpus(b, "en", 1<<20), 4000)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, l := range lines {
			tok.Encode(l)
		}
	}
}

// BenchmarkTrainBPE measures training time: byte-level BPE to 8,000 tokens
// on 1 MB of each corpus.
func BenchmarkTrainBPE(b *testing.B) {
	for _, lang := range []string{"ko", "en"} {
		b.Run(lang, func(b *testing.B) {
			text := testCorpus(b, lang, 1<<20)
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := TrainBPE(text, 8000); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkTrainWordPiece measures WordPiece training to 8,000 tokens on 1 MB
// of Korean.
func BenchmarkTrainWordPiece(b *testing.B) {
	text := testCorpus(b, "ko", 1<<20)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := TrainWordPiece(text, 8000); err != nil {
			b.Fatal(err)
		}
	}
}
