package corpus

import (
	"math"
	"slices"
	"testing"
)

func TestRatios(t *testing.T) {
	tests := []struct {
		in                      string
		hangul, symbol, repeats float64
	}{
		{"", 0, 0, 0},
		{"한국어", 1, 0, 0},
		{"ㅋㅋㅋ", 1, 0, 0},
		{"abc", 0, 0, 0},
		{"한국 ab", 0.5, 0, 0},
		{"좋아요!", 1, 0.25, 0},
		{"!!!!", 0, 1, 0},
		{"123 !", 0, 0.25, 0},
		{"a\nb\na\na", 0, 0, 0.5},
		{"a\n\n a \nb", 0, 0, 1.0 / 3},
		{"^^ 굿 ♥", 1, 0.75, 0},
	}
	for _, tt := range tests {
		if got := HangulRatio(tt.in); math.Abs(got-tt.hangul) > 1e-12 {
			t.Errorf("HangulRatio(%q) = %v, want %v", tt.in, got, tt.hangul)
		}
		if got := SymbolRatio(tt.in); math.Abs(got-tt.symbol) > 1e-12 {
			t.Errorf("SymbolRatio(%q) = %v, want %v", tt.in, got, tt.symbol)
		}
		if got := RepeatedLineRatio(tt.in); math.Abs(got-tt.repeats) > 1e-12 {
			t.Errorf("RepeatedLineRatio(%q) = %v, want %v", tt.in, got, tt.repeats)
		}
	}
}

func TestApplyFilters(t *testing.T) {
	docs := []string{
		"이 영화 정말 재미있어요 추천합니다", // kept
		"굿",                        // too short
		"!!!!!!!!!!!!!!!!!",        // too many symbols (and no Hangul, but symbols runs first)
		"This movie was great fun", // not Korean
		"최고\n최고\n최고\n최고 정말로",          // repeated lines
		"배우들 연기가 좋았고 음악도 좋았다",         // kept
		"너무 길어요 너무 길어요 너무 길어요 너무 길어요", // too long
	}
	cfg := FilterConfig{MinRunes: 5, MaxRunes: 25, MaxSymbolRatio: 0.3, MaxRepeatedLineRatio: 0.3, MinHangulRatio: 0.5}
	kept, rep := ApplyFilters(docs, cfg.Filters())
	if want := []string{docs[0], docs[5]}; !slices.Equal(kept, want) {
		t.Errorf("kept %q, want %q", kept, want)
	}
	if !slices.Equal(rep.Kept, []int{0, 5}) {
		t.Errorf("Kept indices %v, want [0 5]", rep.Kept)
	}
	type step struct {
		name        string
		in, removed int
		example     string
	}
	want := []step{
		{"min-length", 7, 1, "굿"},
		{"max-length", 6, 1, docs[6]},
		{"symbols", 5, 1, docs[2]},
		{"repeated-lines", 4, 1, docs[4]},
		{"hangul", 3, 1, docs[3]},
	}
	if len(rep.Steps) != len(want) {
		t.Fatalf("%d steps, want %d", len(rep.Steps), len(want))
	}
	for i, w := range want {
		s := rep.Steps[i]
		if s.Name != w.name || s.In != w.in || s.Removed != w.removed || len(s.Examples) != 1 || s.Examples[0] != w.example {
			t.Errorf("step %d = %+v, want %+v", i, s, w)
		}
	}
	if rep.In != 7 || rep.Out != 2 {
		t.Errorf("report in/out = %d/%d, want 7/2", rep.In, rep.Out)
	}
	if n := len((FilterConfig{}).Filters()); n != 0 {
		t.Errorf("a zero FilterConfig has %d filters, want 0", n)
	}
}
