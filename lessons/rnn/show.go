package rnn

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/baeum-go/baeum/mlx/show"
)

// ShowSample displays generated text after its prompt, the prompt
// highlighted.
func ShowSample(caption, prompt, generated string) {
	show.HTML("<div><b>" + caption + "</b></div>")
	show.Spans(show.Span{Text: prompt, Highlight: true}, show.Span{Text: generated})
}

// ShowNext compares the likeliest next characters after several texts as a
// table: one row per text, its top guesses with their probabilities.
func ShowNext(texts []string, guesses [][]Guess) {
	var rows [][]string
	for i, text := range texts {
		row := []string{"…" + lastRunes(text, 24)}
		for _, g := range guesses[i] {
			row = append(row, fmt.Sprintf("%q %.0f%%", g.Char, 100*g.Prob))
		}
		rows = append(rows, row)
	}
	header := []string{"text so far"}
	for k := range guesses[0] {
		header = append(header, fmt.Sprintf("guess %d", k+1))
	}
	show.Table(header, rows)
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	return strings.ReplaceAll(string(r[max(0, len(r)-n):]), "\n", "⏎")
}

// BusiestUnits returns the indices of the k hidden units whose value
// changes most along the text (largest variance across characters).
func BusiestUnits(hidden [][]float32, k int) []int {
	n := len(hidden[0])
	variance := make([]float64, n)
	for u := range n {
		mean := 0.0
		for _, h := range hidden {
			mean += float64(h[u])
		}
		mean /= float64(len(hidden))
		for _, h := range hidden {
			variance[u] += math.Pow(float64(h[u])-mean, 2)
		}
	}
	units := make([]int, n)
	for i := range units {
		units[i] = i
	}
	sort.Slice(units, func(a, b int) bool { return variance[units[a]] > variance[units[b]] })
	return units[:min(k, n)]
}

// ShowHidden draws the chosen hidden units (rows) after every character of
// text (columns): how the state the LSTM carries changes as it reads.
func ShowHidden(text string, hidden [][]float32, units []int) {
	var cols []string
	for _, r := range text {
		cols = append(cols, strings.NewReplacer("\n", "⏎", " ", "␣").Replace(string(r)))
	}
	var rows []string
	values := make([][]float64, len(units))
	for i, u := range units {
		rows = append(rows, fmt.Sprintf("unit %d", u))
		for _, h := range hidden {
			values[i] = append(values[i], float64(h[u]))
		}
	}
	show.Heatmap{Title: "hidden state after each character (darker = larger)", RowLabels: rows, ColLabels: cols,
		Values: values, Digits: -1, CellPixels: 16}.Show()
}
