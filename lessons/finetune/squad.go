package finetune

import (
	"strings"
	"unicode"
)

// NormalizeAnswer is SQuAD's answer normalization (its evaluate-v1.1.py):
// lower case, punctuation removed, the English articles a/an/the removed,
// white space collapsed. Punctuation here is any Unicode punctuation
// character (SQuAD's ASCII list plus Korean and typographic marks such as
// 「」 and “”, as KorQuAD's script adds them).
//
//	NormalizeAnswer("The  Debian-FAQ!") -> "debianfaq"
func NormalizeAnswer(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsPunct(r) || r < 128 && unicode.IsSymbol(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	var words []string
	for _, w := range strings.Fields(s) {
		if w != "a" && w != "an" && w != "the" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

// ExactMatch is 1 when the normalized prediction equals the normalized
// gold answer, else 0.
func ExactMatch(prediction, gold string) float64 {
	if NormalizeAnswer(prediction) == NormalizeAnswer(gold) {
		return 1
	}
	return 0
}

// F1 is SQuAD's token F1: the normalized answers are split on white space,
// and precision and recall count the words they share (each word as often
// as it occurs in both).
//
//	F1("데비안 패키지 관리자", "패키지 관리자") -> precision 2/3, recall 2/2, F1 0.8
func F1(prediction, gold string) float64 {
	return OverlapF1(strings.Fields(NormalizeAnswer(prediction)), strings.Fields(NormalizeAnswer(gold)))
}

// CharF1 is KorQuAD's F1: the same, over characters (spaces left out)
// instead of words, so that "dpkg는" against "dpkg" earns partial credit
// for the word it shares despite the attached particle.
func CharF1(prediction, gold string) float64 {
	chars := func(s string) []string {
		var out []string
		for _, r := range strings.ReplaceAll(NormalizeAnswer(s), " ", "") {
			out = append(out, string(r))
		}
		return out
	}
	return OverlapF1(chars(prediction), chars(gold))
}

// OverlapF1 is the F1 of two lists of units (words, characters):
// precision = shared / len(pred), recall = shared / len(gold), F1 their
// harmonic mean, where a unit is shared as often as it occurs in both. Two
// empty lists score 1.
//
//	OverlapF1([a b b], [b]) -> 1 shared: precision 1/3, recall 1, F1 0.5
func OverlapF1(pred, gold []string) float64 {
	if len(pred) == 0 || len(gold) == 0 {
		if len(pred) == len(gold) {
			return 1
		}
		return 0
	}
	count := map[string]int{}
	for _, g := range gold {
		count[g]++
	}
	same := 0
	for _, p := range pred {
		if count[p] > 0 {
			count[p]--
			same++
		}
	}
	if same == 0 {
		return 0
	}
	precision, recall := float64(same)/float64(len(pred)), float64(same)/float64(len(gold))
	return 2 * precision * recall / (precision + recall)
}
