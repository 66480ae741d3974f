package tokenize

import (
	"maps"
	"slices"
	"testing"
)

func TestCountPairsAndMergePair(t *testing.T) {
	if got, want := CountPairs([]int{1, 2, 3, 1, 2}), map[[2]int]int{{1, 2}: 2, {2, 3}: 1, {3, 1}: 1}; !maps.Equal(got, want) {
		t.Errorf("CountPairs = %v, want %v", got, want)
	}
	if got := CountPairs([]int{7}); len(got) != 0 {
		t.Errorf("CountPairs of one id = %v, want none", got)
	}
	tests := []struct {
		ids   []int
		pair  [2]int
		newID int
		want  []int
	}{
		{[]int{1, 2, 3, 1, 2}, [2]int{1, 2}, 4, []int{4, 3, 4}}, // minbpe's worked example
		{[]int{1, 1, 1}, [2]int{1, 1}, 9, []int{9, 1}},          // left to right, no overlap
		{[]int{1, 1, 1, 1}, [2]int{1, 1}, 9, []int{9, 9}},
		{[]int{5}, [2]int{5, 5}, 9, []int{5}},
		{nil, [2]int{1, 2}, 3, []int{}},
	}
	for _, tt := range tests {
		if got := MergePair(tt.ids, tt.pair, tt.newID); !slices.Equal(got, tt.want) {
			t.Errorf("MergePair(%v, %v, %d) = %v, want %v", tt.ids, tt.pair, tt.newID, got, tt.want)
		}
	}
}

// TestByHandMatchesTrainer: the textbook steps agree with the package's
// trainer and encoder. CountPairs over the training words finds the count of
// the trainer's first merge, and applying MergePair for every learned merge
// in order turns a word's bytes into the ids that Encode gives.
func TestByHandMatchesTrainer(t *testing.T) {
	text := "low low low low low lower lower newest newest newest newest newest newest widest widest widest 한국어 한국 국어"
	tok, err := TrainBPE(text, 256+20)
	if err != nil {
		t.Fatal(err)
	}
	total := map[[2]int]int{}
	for _, word := range SplitGPT2(text) {
		for p, n := range CountPairs(Bytes(word)) {
			total[p] += n
		}
	}
	first := tok.Merges[0]
	if got := total[[2]int{first.Left, first.Right}]; got != first.Count || got != slices.Max(slices.Collect(maps.Values(total))) {
		t.Errorf("CountPairs: first merge %v counted %d times, the most frequent pair %d times",
			first, got, slices.Max(slices.Collect(maps.Values(total))))
	}
	for _, word := range []string{"lowest", " newer", " 한국어", "wide", "x"} {
		ids := Bytes(word)
		for _, m := range tok.Merges {
			ids = MergePair(ids, [2]int{m.Left, m.Right}, m.ID)
		}
		if want := tok.Encode(word); !slices.Equal(ids, want) {
			t.Errorf("%q: merges applied by hand %v, Encode %v", word, ids, want)
		}
	}
}
