package finetune

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/baeum-go/baeum/mlx"
)

// Example is one labelled example: a text (sentiment) or a pair of texts
// (entailment: B is empty for single texts) and its class.
type Example struct {
	A, B  string
	Label int
}

// Sentiment classes of NSMC.
var SentimentClasses = []string{"negative", "positive"}

// NLIClasses are KorNLI's labels, in the order of the class ids.
var NLIClasses = []string{"entailment", "neutral", "contradiction"}

// LoadNSMC reads the Korean movie reviews of split ("train": 40,000, or
// "test": 10,000; a balanced subset of NSMC, id<TAB>review<TAB>label with a
// header line), at most n of them (0: all). Label 1 is positive (rating
// 9-10), 0 negative (1-4).
func LoadNSMC(split string, n int) ([]Example, error) {
	if split != "train" && split != "test" {
		return nil, fmt.Errorf("finetune.LoadNSMC: split %q, want \"train\" or \"test\"", split)
	}
	rel := "nsmc/ratings_" + split + ".txt"
	rows, err := readTSV(rel, 3)
	if err != nil {
		return nil, err
	}
	var out []Example
	for i, r := range rows {
		label, err := strconv.Atoi(r[2])
		if err != nil || label < 0 || label > 1 {
			return nil, fmt.Errorf("finetune.LoadNSMC: %s line %d: label %q, want 0 or 1", rel, i+2, r[2])
		}
		out = append(out, Example{A: r[1], Label: label})
		if len(out) == n {
			break
		}
	}
	return out, nil
}

// LoadSentiment reads NSMC's 40,000 training and 10,000 test reviews
// (LoadNSMC).
func LoadSentiment() (train, test []Example, err error) {
	if train, err = LoadNSMC("train", 0); err == nil {
		test, err = LoadNSMC("test", 0)
	}
	return train, test, err
}

// LoadKorNLI reads a KorNLI file ("xnli.test.ko.tsv", 5,010 pairs, or
// "xnli.dev.ko.tsv", 2,490; sentence1<TAB>sentence2<TAB>gold_label with a
// header line). A is the premise, B the hypothesis, Label an index into
// NLIClasses.
func LoadKorNLI(file string) ([]Example, error) {
	rel := "kornli/" + file
	rows, err := readTSV(rel, 3)
	if err != nil {
		return nil, err
	}
	out := make([]Example, 0, len(rows))
	for i, r := range rows {
		label := -1
		for c, name := range NLIClasses {
			if r[2] == name {
				label = c
			}
		}
		if label < 0 {
			return nil, fmt.Errorf("finetune.LoadKorNLI: %s line %d: label %q, want one of %v", rel, i+2, r[2], NLIClasses)
		}
		out = append(out, Example{A: r[0], B: r[1], Label: label})
	}
	return out, nil
}

// readTSV reads a data file with a header line and rows of exactly cols
// tab-separated fields.
func readTSV(rel string, cols int) ([][]string, error) {
	b, err := mlx.ReadDataFile(rel)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	var rows [][]string
	for i, line := range lines[1:] {
		f := strings.Split(strings.TrimRight(line, "\r"), "\t")
		if len(f) != cols {
			return nil, fmt.Errorf("finetune: %s line %d has %d fields, want %d", rel, i+2, len(f), cols)
		}
		rows = append(rows, f)
	}
	return rows, nil
}
