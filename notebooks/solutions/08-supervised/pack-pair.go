// Package solutions holds the answers to the "your turn" cells of notebook
// 08-supervised. `go run ./kernel test --solutions` runs the notebook with them.
package solutions

// PackPair lays out [CLS] a [SEP] (b [SEP]) [PAD]..., seqLen tokens, with
// segment 1 on b and its [SEP]; too long, the longer text (b on a tie)
// loses its last token until the example fits.
func PackPair(a, b []int32, seqLen int) (tokens, segments []int32) {
	const cls, sep = 2, 3
	special := 2
	if b != nil {
		special = 3
	}
	for len(a)+len(b)+special > seqLen {
		if len(a) > len(b) {
			a = a[:len(a)-1]
		} else {
			b = b[:len(b)-1]
		}
	}
	tokens = append(append([]int32{cls}, a...), sep)
	segments = make([]int32, len(tokens))
	if b != nil {
		tokens = append(append(tokens, b...), sep)
		for len(segments) < len(tokens) {
			segments = append(segments, 1)
		}
	}
	for len(tokens) < seqLen {
		tokens, segments = append(tokens, 0), append(segments, 0)
	}
	return tokens, segments
}
