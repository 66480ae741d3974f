package tokenize

import (
	"fmt"
	"math/rand"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// sennrich is the toy corpus of Sennrich, Haddow and Birch (2016), "Neural
// Machine Translation of Rare Words with Subword Units", Algorithm 1:
// {low: 5, lower: 2, newest: 6, widest: 3}.
var sennrich = strings.Repeat("low ", 5) + strings.Repeat("lower ", 2) + strings.Repeat("newest ", 6) + strings.Repeat("widest ", 3)

// TestTrainWordBPETextbook checks the first ten merges of the textbook corpus
// against those printed by the paper's Python code (Algorithm 1, which on ties
// takes the pair it met first).
func TestTrainWordBPETextbook(t *testing.T) {
	tok, err := TrainWordBPE(sennrich, 10)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		`"e" + "s" -> "es" (9)`,
		`"es" + "t" -> "est" (9)`,
		`"est" + "</w>" -> "est</w>" (9)`,
		`"l" + "o" -> "lo" (7)`,
		`"lo" + "w" -> "low" (7)`,
		`"n" + "e" -> "ne" (6)`,
		`"ne" + "w" -> "new" (6)`,
		`"new" + "est</w>" -> "newest</w>" (6)`,
		`"low" + "</w>" -> "low</w>" (5)`,
		`"w" + "i" -> "wi" (3)`,
	}
	var got []string
	for _, m := range tok.Merges {
		got = append(got, m.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := Pieces(tok, "lowest newer"); !reflect.DeepEqual(got, []string{"low", "est</w>", "new", "e", "r", "</w>"}) {
		t.Errorf("Pieces = %q", got)
	}
	if got := tok.Decode(tok.Encode("  lowest   newer ")); got != "lowest newer" {
		t.Errorf("Decode(Encode) = %q, want words joined by single spaces", got)
	}
}

// TestTrainWordBPEStops: merges stop when no pair occurs twice.
func TestTrainWordBPEStops(t *testing.T) {
	tok, err := TrainWordBPE(sennrich, 1000)
	if err != nil {
		t.Fatal(err)
	}
	last := tok.Merges[len(tok.Merges)-1]
	if last.Count < 2 {
		t.Errorf("last merge %v occurs fewer than twice", last)
	}
	if len(tok.Merges) > 20 {
		t.Errorf("%d merges on a 4-word corpus", len(tok.Merges))
	}
}

func TestTrainBPE(t *testing.T) {
	tok, err := TrainBPE("low low low lower lowest", 258)
	if err != nil {
		t.Fatal(err)
	}
	// Every word holds (l,o) and (o,w), 5 times in all: the tie goes to (l,o), met first.
	want := []string{`"l" + "o" -> "lo" (5)`, `"lo" + "w" -> "low" (5)`}
	var got []string
	for _, m := range tok.Merges {
		got = append(got, m.String())
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("merges %q, want %q", got, want)
	}
	if tok.VocabSize() != 258 {
		t.Errorf("VocabSize = %d, want 258", tok.VocabSize())
	}
	if _, err := TrainBPE("x", 100); err == nil || !strings.Contains(err.Error(), "256") {
		t.Errorf("TrainBPE with vocab 100: err = %v, want one that names 256", err)
	}
}

// roundTripTexts is the table every tokenizer runs over.
var roundTripTexts = []string{
	"", "a", " ", "\n\n", "hello world", "  two  spaces  ", "I'm sure they've done it.",
	"안녕하세요, 세계!", "이 영화 정말 재밌어요 ㅋㅋㅋ", "한국어와 English를 섞은 문장 2024년",
	"🙂 emoji 😀👍🏽", "👨‍👩‍👧‍👦", "日本語と中文, русский, ελληνικά", "tabs\tand\r\nnewlines",
	"e\u0301 café", "1234567890" + strings.Repeat("9", 200), strings.Repeat("ab", 300),
}

func TestBPERoundTrip(t *testing.T) {
	corpus := strings.Join(roundTripTexts, "\n") + sennrich
	byteTok, err := TrainBPE(corpus, 400)
	if err != nil {
		t.Fatal(err)
	}
	charTok, err := TrainCharBPE(corpus, 300)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(roundTripTexts, "\xff\xfe invalid \xed\x95", "<|endoftext|>") {
		if got := byteTok.Decode(byteTok.Encode(s)); got != s {
			t.Errorf("byte-level: Decode(Encode(%q)) = %q", s, got)
		}
	}
	for _, s := range roundTripTexts {
		if got := charTok.Decode(charTok.Encode(s)); got != s {
			t.Errorf("char-level: Decode(Encode(%q)) = %q", s, got)
		}
	}
	// A character never seen in training is [UNK].
	if got := charTok.Encode("Ω"); !reflect.DeepEqual(got, []int{0}) {
		t.Errorf("char-level Encode(unseen) = %v, want [0] ([UNK])", got)
	}
}

func TestSpecialTokens(t *testing.T) {
	tok, err := TrainBPE(sennrich, 270)
	if err != nil {
		t.Fatal(err)
	}
	tok.AddSpecialTokens("<|endoftext|>", "<|end|>", "<|endoftext|>")
	if tok.VocabSize() != 272 {
		t.Fatalf("VocabSize = %d, want 272 (the duplicate is ignored)", tok.VocabSize())
	}
	eot, end := tok.ID("<|endoftext|>"), tok.ID("<|end|>")
	ids := tok.Encode("low<|endoftext|><|end|> low<|endoftext")
	if !slices.Contains(ids, eot) || !slices.Contains(ids, end) {
		t.Errorf("Encode = %v, want %d and %d among them", ids, eot, end)
	}
	if n := strings.Count(strings.Join(Pieces(tok, "<|endoftext|>x<|endoftext|>"), "|"), "<|endoftext|>"); n != 2 {
		t.Errorf("special token split: %q", Pieces(tok, "<|endoftext|>x<|endoftext|>"))
	}
	if got := tok.Decode(ids); got != "low<|endoftext|><|end|> low<|endoftext" {
		t.Errorf("Decode = %q", got)
	}
}

func TestSpecialSplitLongest(t *testing.T) {
	var s specialTokens
	s.add("<a>", 1)
	s.add("<a><b>", 2)
	s.add("b", 3)
	var got []string
	s.split("x<a><b>b<a>", func(p string, id int) { got = append(got, fmt.Sprintf("%s:%d", p, id)) })
	want := []string{"x:-1", "<a><b>:2", "b:3", "<a>:1"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("split = %q, want %q", got, want)
	}
}

// TestApplyLongMatchesShort: the heap-based merge loop for long words gives
// the same tokens as the simple scan, on random words and merge tables.
func TestApplyLongMatchesShort(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for trial := 0; trial < 200; trial++ {
		table := newMergeTable(0) // grows as merges are set
		next := int32(4)
		for i := 0; i < 30; i++ {
			a, b := rng.Int31n(next), rng.Int31n(next)
			if !table.has(a, b) {
				table.set(a, b, rankedMerge{rank: int32(rng.Intn(1000)), id: next})
				next++
			}
		}
		word := make([]int32, 2+rng.Intn(60))
		for i := range word {
			word[i] = rng.Int31n(4)
		}
		short := table.apply(slices.Clone(word))
		long := table.applyLong(slices.Clone(word))
		if !reflect.DeepEqual(short, long) {
			t.Fatalf("word %v: apply %v, applyLong %v", word, short, long)
		}
	}
}
