package transformer

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/baeum-go/baeum/lessons/tokenize"
)

// The date task: rewrite a date written one of many ways into ISO 8601.
//
//	"March 5, 2021" | "5 March 2021" | "Mar 5, 2021" | "2021/3/5" | "05.03.2021" | "2021년 3월 5일"  ->  "2021-03-05"
//
// The learner can judge every answer by eye; the model must map month
// names to numbers, copy and reorder digits, and add leading zeros.

// DateFormats are the input formats, as Go time layouts (Korean built by hand).
var DateFormats = []string{"January 2, 2006", "2 January 2006", "Jan 2, 2006", "2006/1/2", "02.01.2006", "korean"}

// Special tokens of the date vocabulary.
const (
	PAD = "[PAD]" // fills sources to the same length; never attended to
	BOS = "[BOS]" // begins every decoder input
	EOS = "[EOS]" // ends every target
)

// SrcLen and TgtLen are the padded lengths of source and target
// ("September 30, 2021" has 18 characters; "[BOS]2021-03-05" has 11 tokens).
const SrcLen, TgtLen = 20, 11

// FormatDate writes t in format f (one of DateFormats).
func FormatDate(t time.Time, f string) string {
	if f == "korean" {
		return fmt.Sprintf("%d년 %d월 %d일", t.Year(), int(t.Month()), t.Day())
	}
	return t.Format(f)
}

// heldOut reports whether a date belongs to the test set: every 10th day
// since 1900 never appears in training, whatever its format.
func heldOut(t time.Time) bool {
	return int(t.Sub(firstDate).Hours()/24)%10 == 0
}

var firstDate = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)

// DatePair is one example: a source string and its ISO target.
type DatePair struct{ Src, Tgt string }

// RandomDates draws n examples between 1900 and 2099, from the held-out
// days (test) or from the others (train), in random formats.
func RandomDates(n int, test bool, seed uint64) []DatePair {
	rng := rand.New(rand.NewPCG(seed, 11))
	days := int(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC).Sub(firstDate).Hours() / 24)
	pairs := make([]DatePair, 0, n)
	for len(pairs) < n {
		t := firstDate.AddDate(0, 0, rng.IntN(days))
		if heldOut(t) != test {
			continue
		}
		f := DateFormats[rng.IntN(len(DateFormats))]
		pairs = append(pairs, DatePair{Src: FormatDate(t, f), Tgt: t.Format("2006-01-02")})
	}
	return pairs
}

// DateVocab is the character vocabulary of every format, with PAD, BOS and
// EOS (shared by source and target).
func DateVocab() *tokenize.Vocab {
	var b strings.Builder
	for m := time.January; m <= time.December; m++ {
		b.WriteString(m.String() + " ")
	}
	b.WriteString("0123456789 ,./-년월일")
	return tokenize.NewCharVocab(b.String(), 0, PAD, BOS, EOS)
}

// EncodeDates turns pairs into the three int32 arrays the model reads:
// src [n, SrcLen] padded with PAD, the decoder input [n, TgtLen] (BOS then
// the target) and the labels [n, TgtLen] (the target then EOS): at every
// position the decoder predicts the next character.
func EncodeDates(v *tokenize.Vocab, pairs []DatePair) (src, tgtIn, tgtOut []int32, err error) {
	pad, bos, eos := v.ID(PAD), v.ID(BOS), v.ID(EOS)
	for _, p := range pairs {
		s, err := v.Encode(p.Src)
		if err != nil {
			return nil, nil, nil, err
		}
		t, err := v.Encode(p.Tgt)
		if err != nil {
			return nil, nil, nil, err
		}
		if len(s) > SrcLen || len(t) != TgtLen-1 {
			return nil, nil, nil, fmt.Errorf("transformer.EncodeDates: %q -> %q does not fit %d -> %d", p.Src, p.Tgt, SrcLen, TgtLen-1)
		}
		for len(s) < SrcLen {
			s = append(s, pad)
		}
		src = append(src, s...)
		tgtIn = append(append(tgtIn, bos), t...)
		tgtOut = append(append(tgtOut, t...), eos)
	}
	return src, tgtIn, tgtOut, nil
}
