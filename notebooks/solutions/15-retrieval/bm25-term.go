package solutions

import (
	"math"

	"github.com/baeum-go/baeum/lessons/retrieval"
)

// TermScore multiplies the term's rarity (idf) by its saturated,
// length-normalized count.
func TermScore(c retrieval.TermCase) float64 {
	const k1, b = 1.2, 0.75
	n, df := float64(c.Docs), float64(c.DF)
	idf := math.Log(1 + (n-df+0.5)/(df+0.5))
	tf := float64(c.TF)
	norm := k1 * (1 - b + b*float64(c.DocLen)/c.AvgLen)
	return idf * tf * (k1 + 1) / (tf + norm)
}
