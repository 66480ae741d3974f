package rnn

import (
	"fmt"

	"github.com/baeum-go/baeum/lessons/tokenize"
	"github.com/baeum-go/baeum/mlx"
)

// Unknown is the token every character outside the vocabulary becomes
// (rare Hangul syllables in the Korean corpus); its id is 0.
const Unknown = "[UNK]"

// Corpus names.
const (
	Shakespeare = "shakespeare" // tinyshakespeare, 1.1 MB of English
	Korean      = "korean"      // Korean movie reviews (NSMC), one per line
)

// Corpus is a text split into training and validation ids.
type Corpus struct {
	Name       string
	Vocab      *tokenize.Vocab // lesson 02's character vocabulary, with Unknown as id 0
	Train, Val []int32
}

// korean corpus limits: the first 1.5 million characters of the reviews
// (about 40,000 reviews; the full 150,000 would not fit the time budget)
// and the 1,499 most frequent characters (1,500 ids with Unknown), which
// cover over 99% of them.
const (
	koreanChars = 1_500_000
	koreanVocab = 1499
)

// LoadCorpus reads Shakespeare or the Korean reviews through the mlx data
// loader and keeps the last 10% as validation text.
func LoadCorpus(name string) (*Corpus, error) {
	var text string
	var maxChars int
	switch name {
	case Shakespeare:
		b, err := mlx.ReadDataFile("tinyshakespeare/input.txt")
		if err != nil {
			return nil, err
		}
		text = string(b)
	case Korean:
		b, err := mlx.ReadDataFile("nsmc/corpus_ko.txt")
		if err != nil {
			return nil, err
		}
		text, maxChars = firstRunes(string(b), koreanChars), koreanVocab
	default:
		return nil, fmt.Errorf("rnn.LoadCorpus: unknown corpus %q (want %q or %q)", name, Shakespeare, Korean)
	}
	return NewCorpus(name, text, maxChars, 0.1), nil
}

// NewCorpus builds the vocabulary on the training part only (so validation
// measures what an unseen text costs), keeping its maxChars most frequent
// characters (0: all), and splits off the last valFraction.
func NewCorpus(name, text string, maxChars int, valFraction float64) *Corpus {
	runes := []rune(text)
	cut := int(float64(len(runes)) * (1 - valFraction))
	vocab := tokenize.NewCharVocab(string(runes[:cut]), maxChars, Unknown)
	ids, err := vocab.Encode(text)
	if err != nil {
		panic(err) // cannot happen: every character outside the vocabulary becomes Unknown
	}
	return &Corpus{Name: name, Vocab: vocab, Train: ids[:cut], Val: ids[cut:]}
}

func firstRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
