package corpus

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"unicode"
)

// dedupRunes is the text that duplicate detection compares: lower-case, with
// all white space removed. Korean spacing is unreliable (reviewers write
// "재밌어요 정말" and "재밌어요정말"), so character shingles ignore it.
func dedupRunes(doc string) []rune {
	rs := make([]rune, 0, len(doc))
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			rs = append(rs, unicode.ToLower(r))
		}
	}
	return rs
}

// Shingles lists the distinct character k-grams of doc (white space removed,
// lower-cased), in order of first appearance:
//
//	Shingles("정말 재밌다", 3) -> [정말재 말재밌 재밌다]
//
// A document shorter than k characters is one shingle.
func Shingles(doc string, k int) []string {
	rs := dedupRunes(doc)
	var out []string
	seen := map[string]bool{}
	forEachShingle(rs, k, func(sh []rune) {
		s := string(sh)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	})
	return out
}

func forEachShingle(rs []rune, k int, f func([]rune)) {
	k = max(k, 1)
	if len(rs) == 0 {
		return
	}
	if len(rs) < k {
		f(rs)
		return
	}
	for i := 0; i+k <= len(rs); i++ {
		f(rs[i : i+k])
	}
}

// mersenne61 is the prime 2^61-1: MinHash's hash functions are
// h(x) = (a*x + b) mod p, the textbook universal family (Leskovec, Rajaraman
// and Ullman, Mining of Massive Datasets, ch. 3), and a Mersenne prime makes
// "mod p" two shifts and an add.
const mersenne61 = 1<<61 - 1

// shingleSet returns the sorted, distinct 61-bit hashes of doc's k-shingles.
// Comparing hashes instead of strings is exact up to hash collisions, which
// for a few million distinct shingles and 61 bits is about one in a million.
func shingleSet(doc string, k int) []uint64 {
	rs := dedupRunes(doc)
	set := make([]uint64, 0, len(rs))
	forEachShingle(rs, k, func(sh []rune) {
		set = append(set, shingleHash(sh))
	})
	slices.Sort(set)
	return slices.Compact(set)
}

// shingleHash maps a shingle to a number below 2^61-1: FNV-1a over its code
// points, then mix64.
func shingleHash(sh []rune) uint64 {
	h := uint64(14695981039346656037)
	for _, r := range sh {
		h ^= uint64(r)
		h *= 1099511628211
	}
	return mix64(h) % mersenne61
}

// mix64 is the finalizer of SplitMix64: it spreads every input bit over the
// whole output, so that similar shingles get unrelated hashes.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// mulMod61 returns a*x mod 2^61-1 for a, x < 2^61.
func mulMod61(a, x uint64) uint64 {
	hi, lo := bits.Mul64(a, x)
	r := (hi<<3 | lo>>61) + lo&mersenne61
	if r >= mersenne61 {
		r -= mersenne61
	}
	return r
}

// MinHasher computes MinHash signatures: for each of its hash functions h_i,
// the smallest h_i over a document's shingles. The chance that two documents
// get the same minimum for one h_i equals the Jaccard similarity of their
// shingle sets, so the share of equal positions in two signatures estimates
// it (see EstimateJaccard).
type MinHasher struct {
	a, b []uint64
}

// NewMinHasher draws numHashes hash functions from a generator seeded with
// seed: the same seed gives the same signatures on every machine.
func NewMinHasher(numHashes int, seed uint64) *MinHasher {
	rng := rand.New(rand.NewPCG(seed, 0x6261657565)) // "baeum"
	m := &MinHasher{a: make([]uint64, numHashes), b: make([]uint64, numHashes)}
	for i := range m.a {
		m.a[i] = 1 + rng.Uint64N(mersenne61-1)
		m.b[i] = rng.Uint64N(mersenne61)
	}
	return m
}

// Signature returns the MinHash signature of doc's k-shingles. An empty
// document gets a signature of math.MaxUint64 values.
func (m *MinHasher) Signature(doc string, k int) []uint64 {
	sig := make([]uint64, len(m.a))
	m.signature(shingleSet(doc, k), sig)
	return sig
}

// signature writes into sig, for each hash function h_i, the smallest
// h_i(x) over the shingle hashes x in set.
//
//	set {x1, x2}, 2 functions: sig = [min(h_0(x1), h_0(x2)), min(h_1(x1), h_1(x2))]
func (m *MinHasher) signature(set []uint64, sig []uint64) {
	for i := range sig {
		sig[i] = math.MaxUint64 // larger than any hash: the minimum of nothing
	}
	for _, x := range set {
		for i := range sig {
			sig[i] = min(sig[i], m.hash(i, x))
		}
	}
}

// hash is the i-th hash function, h_i(x) = (a_i*x + b_i) mod 2^61-1.
func (m *MinHasher) hash(i int, x uint64) uint64 {
	h := mulMod61(m.a[i], x) + m.b[i]
	if h >= mersenne61 {
		h -= mersenne61
	}
	return h
}

// NumHashes is the number of hash functions, the length of a signature.
func (m *MinHasher) NumHashes() int { return len(m.a) }

// Hash is the i-th hash function applied to one shingle as Shingles returns
// it. Signature's value i is the smallest Hash(i, s) over the document's
// shingles s; Hash is exported so that the notebook's "your turn" can build a
// signature by hand from Shingles and check it against Signature.
//
//	m.Signature("abcd", 3)[i] == min(m.Hash(i, "abc"), m.Hash(i, "bcd"))
func (m *MinHasher) Hash(i int, shingle string) uint64 {
	return m.hash(i, shingleHash([]rune(shingle)))
}

// EstimateJaccard is the share of positions where two signatures agree.
func EstimateJaccard(a, b []uint64) float64 {
	n := min(len(a), len(b))
	if n == 0 {
		return 0
	}
	same := 0
	for i := range n {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / float64(n)
}

// Jaccard is the exact Jaccard similarity |A∩B| / |A∪B| of the k-shingle
// sets of two documents: 1 for the same text (ignoring case and spaces), 0
// when they share no shingle. Two empty documents have similarity 1.
func Jaccard(a, b string, k int) float64 {
	return jaccardSets(shingleSet(a, k), shingleSet(b, k))
}

// jaccardSets merges two sorted sets.
func jaccardSets(a, b []uint64) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// SCurve is the probability that LSH with b bands of r rows makes two
// documents of Jaccard similarity s a candidate pair: a band matches with
// probability s^r, and at least one of b bands matches with 1-(1-s^r)^b.
func SCurve(s float64, b, r int) float64 {
	return 1 - math.Pow(1-math.Pow(s, float64(r)), float64(b))
}

// LSHThreshold is (1/b)^(1/r), roughly the similarity where the S-curve
// rises steepest: pairs above it are likely candidates, pairs below unlikely.
func LSHThreshold(b, r int) float64 {
	return math.Pow(1/float64(b), 1/float64(r))
}
