package finetune

import (
	"strings"
	"unicode"
)

// OverlapAnswer is the baseline a reader must beat, a sliding window of
// word overlap (after Richardson et al.'s MCTest baseline, which SQuAD
// reported): every span of 1 to maxWords words of the paragraph is a
// candidate, unless one of its words appears in the question or shares a
// character pair with it (the answer is what the question does not already
// say); a candidate scores the
// character pairs (bigrams, which survive Korean particles: "패키지를" and
// "패키지는" share "패키") that the question shares with the window of
// `window` words on each side of it. The best-scoring candidate wins; ties
// go to the shorter, then the earlier one.
func OverlapAnswer(qa QA, maxWords, window int) string {
	type word struct {
		text       string
		start, end int
	}
	var words []word
	for start, i := -1, 0; i <= len(qa.Context); i++ {
		space := i == len(qa.Context) || qa.Context[i] == ' '
		if !space && start < 0 {
			start = i
		} else if space && start >= 0 {
			w := strings.TrimFunc(qa.Context[start:i], unicode.IsPunct)
			if w != "" {
				s := start + strings.Index(qa.Context[start:i], w)
				words = append(words, word{w, s, s + len(w)})
			}
			start = -1
		}
	}
	question := bigrams(qa.Question)
	inQuestion := map[string]bool{}
	for _, w := range strings.Fields(qa.Question) {
		inQuestion[strings.TrimFunc(w, unicode.IsPunct)] = true
	}
	best, bestScore := "", -1
	for n := 1; n <= maxWords; n++ {
		for i := 0; i+n <= len(words); i++ {
			skip := false
			for _, w := range words[i : i+n] {
				skip = skip || inQuestion[w.text] || shares(bigrams(w.text), question)
			}
			if skip {
				continue
			}
			score := 0
			seen := map[string]bool{}
			for k := max(0, i-window); k < min(len(words), i+n+window); k++ {
				if k >= i && k < i+n {
					continue
				}
				for bg := range bigrams(words[k].text) {
					if question[bg] && !seen[bg] {
						seen[bg] = true
						score++
					}
				}
			}
			if score > bestScore {
				best, bestScore = qa.Context[words[i].start:words[i+n-1].end], score
			}
		}
	}
	return best
}

// bigrams are the pairs of adjacent characters inside the words of s.
func bigrams(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(s)) {
		r := []rune(w)
		for i := 0; i+1 < len(r); i++ {
			out[string(r[i:i+2])] = true
		}
	}
	return out
}

func shares(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}
