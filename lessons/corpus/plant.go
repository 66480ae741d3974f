package corpus

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PlantConfig describes a planted near-duplicate experiment: real documents
// are copied with a few small edits and mixed with other real documents, so
// that the true duplicate pairs are known and a deduplicator can be scored.
type PlantConfig struct {
	Originals   int    // documents that get an edited copy
	Distractors int    // further real documents mixed in, without copies
	MinRunes    int    // only documents at least this long take part
	MaxEdits    int    // each copy gets 1..MaxEdits edits
	Seed        uint64 // the same seed plants the same copies
}

// DefaultPlant returns the experiment the lesson runs on the Korean reviews.
func DefaultPlant() PlantConfig {
	return PlantConfig{Originals: 1000, Distractors: 3000, MinRunes: 50, MaxEdits: 3, Seed: 7}
}

// Planted is the mixed collection and its answer key.
type Planted struct {
	Docs  []string
	Truth []Pair   // (original, copy) index pairs with their exact Jaccard
	Edits []string // for each Truth pair, the edits made, e.g. "replace char '좋'->'촣'"
	// Dropped counts sampled documents left out because they were already
	// near-duplicates of another sampled document (the answer key would
	// otherwise miss real pairs and blame the deduplicator for finding them).
	Dropped int
}

// PlantNearDuplicates samples documents from pool, makes one edited copy of
// each of the first cfg.Originals and shuffles everything together. Edits
// are insertions, deletions and replacements of one character or one word;
// inserted text is taken from other documents of the pool. The Jaccard
// similarity of the truth pairs is measured with k-shingles (k = shingle).
func PlantNearDuplicates(pool []string, cfg PlantConfig, shingle int, threshold float64) (Planted, error) {
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x706c616e74)) // "plant"
	var eligible []string
	seen := map[[32]byte]bool{}
	for _, d := range pool {
		k := exactKey(d)
		if utf8.RuneCountInString(d) >= cfg.MinRunes && !seen[k] {
			seen[k] = true
			eligible = append(eligible, d)
		}
	}
	need := cfg.Originals + cfg.Distractors
	if cfg.Originals <= 0 || cfg.Distractors < 0 {
		return Planted{}, fmt.Errorf("corpus: the planted experiment needs Originals > 0 and Distractors >= 0, got %d and %d", cfg.Originals, cfg.Distractors)
	}
	if len(eligible) < need {
		return Planted{}, fmt.Errorf("corpus: the planted experiment needs %d distinct documents of at least %d characters and the pool has %d; lower Originals, Distractors or MinRunes",
			need, cfg.MinRunes, len(eligible))
	}
	rng.Shuffle(len(eligible), func(i, j int) { eligible[i], eligible[j] = eligible[j], eligible[i] })
	// Take a little more than needed, then drop documents that already have
	// a near-duplicate in the sample (checked exactly, pair by pair).
	sample := eligible[:min(len(eligible), need+need/10)]
	sample, dropped := dropNearDuplicates(sample, shingle, threshold)
	if len(sample) < need {
		return Planted{}, fmt.Errorf("corpus: only %d of the sampled documents are free of near-duplicates, %d are needed; lower Originals or Distractors", len(sample), need)
	}
	sample = sample[:need]

	docs := slices.Clone(sample)
	var edits []string
	for i := range cfg.Originals {
		cp, what := editCopy(sample[i], 1+rng.IntN(max(cfg.MaxEdits, 1)), pool, rng)
		docs = append(docs, cp)
		edits = append(edits, what)
	}
	perm := rng.Perm(len(docs)) // docs[i] moves to perm[i]
	mixed := make([]string, len(docs))
	for i, p := range perm {
		mixed[p] = docs[i]
	}
	pl := Planted{Docs: mixed, Edits: edits, Dropped: dropped}
	for i := range cfg.Originals {
		a, b := perm[i], perm[need+i]
		pl.Truth = append(pl.Truth, Pair{A: min(a, b), B: max(a, b), Jaccard: Jaccard(mixed[a], mixed[b], shingle)})
	}
	return pl, nil
}

// dropNearDuplicates keeps the documents whose exact Jaccard with every
// earlier kept document is below threshold. It is the ground truth, not an
// estimate: an inverted index (shingle -> documents that have it) counts the
// shingles each document shares with every earlier one, which gives the
// exact Jaccard of all pairs without comparing pairs that share nothing.
func dropNearDuplicates(docs []string, shingle int, threshold float64) ([]string, int) {
	postings := map[uint64][]int32{}
	sizes := make([]int, len(docs))
	shared := make([]int32, len(docs))
	var kept []string
	for i, d := range docs {
		set := shingleSet(d, shingle)
		sizes[i] = len(set)
		var touched []int32
		for _, x := range set {
			for _, j := range postings[x] {
				if shared[j] == 0 {
					touched = append(touched, j)
				}
				shared[j]++
			}
		}
		dup := false
		for _, j := range touched {
			c := float64(shared[j])
			if c/(float64(sizes[i]+sizes[j])-c) >= threshold {
				dup = true
			}
			shared[j] = 0
		}
		if dup {
			continue
		}
		kept = append(kept, d)
		for _, x := range set {
			postings[x] = append(postings[x], int32(i))
		}
	}
	return kept, len(docs) - len(kept)
}

// editCopy applies n random edits to doc and describes them.
func editCopy(doc string, n int, pool []string, rng *rand.Rand) (string, string) {
	rs := []rune(doc)
	var what []string
	for range n {
		var w string
		rs, w = editOnce(rs, pool, rng)
		what = append(what, w)
	}
	return string(rs), strings.Join(what, "; ")
}

func editOnce(rs []rune, pool []string, rng *rand.Rand) ([]rune, string) {
	donor := []rune(pool[rng.IntN(len(pool))])
	op := rng.IntN(6)
	// Korean reviews are often written without spaces, so a "word" can be a
	// whole sentence: word edits only touch words of at most maxWord
	// characters, and fall back to a character edit when there is none.
	words := strings.Fields(string(rs))
	short := shortWords(words)
	donorFields := strings.Fields(string(donor))
	donorWords := shortWords(donorFields)
	if op >= 3 && (len(short) == 0 || len(donorWords) == 0) {
		op = rng.IntN(3)
	}
	visible := visibleIndices(rs)
	if len(visible) == 0 {
		op = 0 // nothing to delete or replace
	}
	switch op {
	case 0: // insert a character
		c := randomChar(donor, rng)
		i := rng.IntN(len(rs) + 1)
		return slices.Insert(rs, i, c), fmt.Sprintf("insert char %q", c)
	case 1: // delete a character
		i := visible[rng.IntN(len(visible))]
		c := rs[i]
		return slices.Delete(rs, i, i+1), fmt.Sprintf("delete char %q", c)
	case 2: // replace a character by a different one
		i := visible[rng.IntN(len(visible))]
		old, c := rs[i], randomChar(donor, rng)
		for c == old {
			c = rune(0xAC00 + rng.IntN(11172)) // a random Hangul syllable
		}
		rs[i] = c
		return rs, fmt.Sprintf("replace char %q->%q", old, c)
	}
	i := short[rng.IntN(len(short))]
	dw := donorFields[donorWords[rng.IntN(len(donorWords))]]
	var desc string
	switch op {
	case 3: // delete a word
		desc = fmt.Sprintf("delete word %q", words[i])
		words = slices.Delete(words, i, i+1)
	case 4: // insert a word taken from another document
		desc = fmt.Sprintf("insert word %q", dw)
		words = slices.Insert(words, i, dw)
	default: // replace a word by a word from another document
		if words[i] == dw {
			dw += "요"
		}
		desc = fmt.Sprintf("replace word %q->%q", words[i], dw)
		words[i] = dw
	}
	return []rune(strings.Join(words, " ")), desc
}

// maxWord is the longest word (in characters) a word edit touches.
const maxWord = 6

// shortWords returns the indices of the words of at most maxWord characters.
func shortWords(words []string) []int {
	var idx []int
	for i, w := range words {
		if utf8.RuneCountInString(w) <= maxWord {
			idx = append(idx, i)
		}
	}
	return idx
}

// visibleIndices lists the positions of the non-space characters of rs.
func visibleIndices(rs []rune) []int {
	var idx []int
	for i, r := range rs {
		if !unicode.IsSpace(r) {
			idx = append(idx, i)
		}
	}
	return idx
}

// randomChar picks a non-space character of donor, or a random Hangul
// syllable if donor has none.
func randomChar(donor []rune, rng *rand.Rand) rune {
	if v := visibleIndices(donor); len(v) > 0 {
		return donor[v[rng.IntN(len(v))]]
	}
	return rune(0xAC00 + rng.IntN(11172))
}
