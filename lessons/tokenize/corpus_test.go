package tokenize

import "testing"

// testCorpus returns the start of a course corpus (see TestMain for where
// the tests find it).
func testCorpus(tb testing.TB, lang string, maxBytes int) string {
	tb.Helper()
	text, err := Corpus(lang, maxBytes)
	if err != nil {
		tb.Fatalf("%v\n(the tests read the course corpora; set BAEUM_DATA to the shared data folder)", err)
	}
	return text
}

func TestCorpus(t *testing.T) {
	ko := testCorpus(t, "ko", 1000)
	if len(ko) > 1000 || len(ko) < 500 || ko[len(ko)-1] != '\n' {
		t.Errorf("Corpus(ko, 1000) has %d bytes, want whole lines within 1000", len(ko))
	}
	if _, err := Corpus("fr", 10); err == nil {
		t.Error("Corpus(fr) gave no error")
	}
}

// TestVocabStats checks the lesson's claims on real text: more vocabulary
// means fewer tokens per character, and Korean starts from many more tokens
// per character than English (3 UTF-8 bytes per syllable).
func TestVocabStats(t *testing.T) {
	sizes := []int{256, 512, 2000}
	var rows []VocabStat
	for _, lang := range []string{"ko", "en"} {
		r, err := VocabStats(lang, testCorpus(t, lang, 200_000), sizes)
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r...)
	}
	for i, r := range rows {
		t.Log(r)
		if i%3 > 0 && r.TokensPerChar >= rows[i-1].TokensPerChar {
			t.Errorf("%v: not fewer tokens per char than %v", r, rows[i-1])
		}
	}
	ko256, en256 := rows[0], rows[3]
	if ko256.TokensPerChar < 2 || en256.TokensPerChar != 1 {
		t.Errorf("at vocab 256 (bytes): ko %.2f, en %.2f tokens/char; want ko >= 2 and en exactly 1 (ASCII)", ko256.TokensPerChar, en256.TokensPerChar)
	}
	if rows[2].VocabSize != 2000 {
		t.Errorf("VocabSize %d, want 2000", rows[2].VocabSize)
	}
	if _, err := VocabStats("x", "a\nb\n", sizes); err == nil {
		t.Error("VocabStats on 2 lines gave no error")
	}
	if _, err := VocabStats("x", testCorpus(t, "en", 10_000), []int{100}); err == nil {
		t.Error("VocabStats with size 100 gave no error")
	}
}
