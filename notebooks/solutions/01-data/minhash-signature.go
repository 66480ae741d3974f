package solutions

import (
	"math"

	"github.com/baeum-go/baeum/lessons/corpus"
)

// MinHashSignature is, for each hash function i, the smallest m.Hash(i, s)
// over the shingles s.
func MinHashSignature(m *corpus.MinHasher, shingles []string) []uint64 {
	sig := make([]uint64, m.NumHashes())
	for i := range sig {
		sig[i] = math.MaxUint64 // the minimum of no shingles at all
		for _, s := range shingles {
			sig[i] = min(sig[i], m.Hash(i, s))
		}
	}
	return sig
}
