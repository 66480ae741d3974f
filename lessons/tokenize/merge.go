package tokenize

import "sync"

// This file applies learned merges to one word, the inner loop of every BPE
// encoder in the package (the ones trained here and those loaded from
// tokenizer.json).

// pairKey packs the ids of two adjacent tokens into one map key.
func pairKey(left, right int32) uint64 { return uint64(uint32(left))<<32 | uint64(uint32(right)) }

// rankedMerge says what a pair becomes: the id of the joined token, and the
// merge's rank (its position in the list of merges; lower merges first).
type rankedMerge struct{ rank, id int32 }

// mergeTable maps a pair of token ids to the merge that joins them. It is a
// hash table with open addressing, written out because it is the innermost
// lookup of encoding (every pair of every word not yet in the cache): with
// 4,000 merges it answers in 3-6 ns where a Go map takes 11-18 ns (2 cores,
// measured while writing this lesson). Ids are non-negative int32s, so
// pairKey+1 never wraps to 0, the mark of an empty slot.
type mergeTable struct {
	keys  []uint64 // pairKey + 1; 0 marks an empty slot
	vals  []rankedMerge
	count int
	shift uint // 64 - log2(len(keys))
}

// newMergeTable returns a table sized for n merges.
func newMergeTable(n int) *mergeTable {
	size, shift := 16, uint(60)
	for size < 2*n {
		size, shift = size*2, shift-1
	}
	return &mergeTable{keys: make([]uint64, size), vals: make([]rankedMerge, size), shift: shift}
}

// slot returns where key is, or the empty slot where it would go.
func (t *mergeTable) slot(key uint64) int {
	mask := len(t.keys) - 1
	i := int((key * 0x9E3779B97F4A7C15) >> t.shift) // Fibonacci hashing
	for t.keys[i] != 0 && t.keys[i] != key+1 {
		i = (i + 1) & mask
	}
	return i
}

// set adds or replaces the merge of the pair (left, right).
func (t *mergeTable) set(left, right int32, m rankedMerge) {
	if 2*(t.count+1) > len(t.keys) {
		t.grow()
	}
	k := pairKey(left, right)
	i := t.slot(k)
	if t.keys[i] == 0 {
		t.count++
	}
	t.keys[i], t.vals[i] = k+1, m
}

func (t *mergeTable) grow() {
	bigger := newMergeTable(len(t.keys))
	for i, k := range t.keys {
		if k != 0 {
			j := bigger.slot(k - 1)
			bigger.keys[j], bigger.vals[j] = k, t.vals[i]
		}
	}
	bigger.count = t.count
	*t = *bigger
}

// has reports whether the pair has a merge.
func (t *mergeTable) has(left, right int32) bool {
	return t.keys[t.slot(pairKey(left, right))] != 0
}

// apply merges the tokens of one word in place and returns the shortened
// slice. At each step it joins the adjacent pair with the lowest rank, the
// leftmost one if the pair occurs twice, exactly like the Hugging Face
// tokenizers library, until no adjacent pair has a merge.
//
//	merges (a,b)->X rank 0, (X,c)->Y rank 1:  [a b c a b] -> [Y X]
func (t *mergeTable) apply(syms []int32) []int32 {
	if len(syms) > 64 {
		return t.applyLong(syms)
	}
	// ranks[i] is the rank of the pair (syms[i], syms[i+1]), or noMerge.
	var buf [64]rankedMerge
	ranks := buf[:0]
	for i := 0; i+1 < len(syms); i++ {
		ranks = append(ranks, t.lookup(syms[i], syms[i+1]))
	}
	for len(syms) > 1 {
		best := -1
		bestRank := int32(noMerge)
		for i, m := range ranks {
			if m.rank < bestRank {
				best, bestRank = i, m.rank
			}
		}
		if best < 0 {
			break
		}
		// Replace syms[best], syms[best+1] by the joined token; only the two
		// pairs that touch it change rank.
		syms[best] = ranks[best].id
		syms = append(syms[:best+1], syms[best+2:]...)
		ranks = append(ranks[:best], ranks[best+1:]...)
		if best > 0 {
			ranks[best-1] = t.lookup(syms[best-1], syms[best])
		}
		if best < len(ranks) {
			ranks[best] = t.lookup(syms[best], syms[best+1])
		}
	}
	return syms
}

// noMerge is the rank of a pair that has no merge.
const noMerge = 1<<31 - 1

func (t *mergeTable) lookup(left, right int32) rankedMerge {
	i := t.slot(pairKey(left, right))
	if t.keys[i] == 0 {
		return rankedMerge{rank: noMerge}
	}
	return t.vals[i]
}

// applyLong does what apply does in O(n log n) for long words (a run of
// thousands of digits is one GPT-2 pre-token): the symbols form a linked list
// and candidate pairs wait in a heap ordered by (rank, position).
func (t *mergeTable) applyLong(syms []int32) []int32 {
	n := len(syms)
	next := make([]int32, n) // index of the next live symbol, n at the end
	prev := make([]int32, n) // index of the previous live symbol, -1 at the start
	for i := range syms {
		next[i], prev[i] = int32(i+1), int32(i-1)
	}
	var h candidateHeap
	for i := 0; i+1 < n; i++ {
		if m := t.lookup(syms[i], syms[i+1]); m.rank != noMerge {
			h.push(candidate{m.rank, int32(i)})
		}
	}
	alive := make([]bool, n)
	for i := range alive {
		alive[i] = true
	}
	for len(h) > 0 {
		c := h.pop()
		i := c.pos
		j := next[i]
		// Skip candidates made stale by an earlier merge.
		if !alive[i] || int(j) >= n {
			continue
		}
		m := t.lookup(syms[i], syms[j])
		if m.rank != c.rank {
			continue
		}
		syms[i] = m.id
		alive[j] = false
		next[i] = next[j]
		if int(next[j]) < n {
			prev[next[j]] = i
		}
		if p := prev[i]; p >= 0 {
			if m := t.lookup(syms[p], syms[i]); m.rank != noMerge {
				h.push(candidate{m.rank, p})
			}
		}
		if k := next[i]; int(k) < n {
			if m := t.lookup(syms[i], syms[k]); m.rank != noMerge {
				h.push(candidate{m.rank, i})
			}
		}
	}
	out := syms[:0]
	for i := int32(0); int(i) < n; i = next[i] {
		out = append(out, syms[i])
	}
	return out
}

// candidate is a pair waiting to be merged: its rank and the position of its
// left symbol.
type candidate struct{ rank, pos int32 }

// candidateHeap is a binary min-heap of candidates by (rank, pos).
type candidateHeap []candidate

func (c candidate) less(d candidate) bool {
	return c.rank < d.rank || c.rank == d.rank && c.pos < d.pos
}

func (h *candidateHeap) push(c candidate) {
	*h = append(*h, c)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !s[i].less(s[p]) {
			break
		}
		s[i], s[p] = s[p], s[i]
		i = p
	}
}

func (h *candidateHeap) pop() candidate {
	s := *h
	top := s[0]
	last := len(s) - 1
	s[0] = s[last]
	s = s[:last]
	for i := 0; ; {
		l, r, m := 2*i+1, 2*i+2, i
		if l < len(s) && s[l].less(s[m]) {
			m = l
		}
		if r < len(s) && s[r].less(s[m]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}

// wordCache remembers the tokens of words already encoded. Text repeats its
// words (Zipf's law), so most pre-tokens are found here and skip the merging.
type wordCache struct {
	mu sync.RWMutex
	m  map[string][]int32
}

// Words longer than maxCachedWord bytes are not cached, and the cache stops
// growing at maxCacheEntries words, so that memory stays bounded.
const (
	maxCachedWord   = 64
	maxCacheEntries = 1 << 17
)

func (c *wordCache) get(word string) ([]int32, bool) {
	c.mu.RLock()
	ids, ok := c.m[word]
	c.mu.RUnlock()
	return ids, ok
}

func (c *wordCache) put(word string, ids []int32) {
	if len(word) > maxCachedWord {
		return
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = make(map[string][]int32)
	}
	if len(c.m) < maxCacheEntries {
		c.m[word] = append([]int32(nil), ids...)
	}
	c.mu.Unlock()
}

func (c *wordCache) reset() {
	c.mu.Lock()
	c.m = nil
	c.mu.Unlock()
}

// byteEncoder encodes one pre-token of raw bytes with a byte-level BPE: each
// byte starts as its own token (byteID), then the merges apply. Both the BPE
// trained here (byteID[b] = b) and a byte-level tokenizer.json (byteID[b] =
// the id of GPT-2's character for b) use it.
type byteEncoder struct {
	byteID [256]int32
	ranks  *mergeTable
	cache  wordCache
}

// appendWord appends the ids of word to ids.
//
//	merges (l,o)->256 (256,w)->257: "low" -> [257]
func (e *byteEncoder) appendWord(word string, ids []int) []int {
	if cached, ok := e.cache.get(word); ok {
		for _, id := range cached {
			ids = append(ids, int(id))
		}
		return ids
	}
	var stack [maxCachedWord]int32 // no allocation for the words that are cached
	syms := stack[:0]
	for i := 0; i < len(word); i++ {
		syms = append(syms, e.byteID[word[i]])
	}
	syms = e.ranks.apply(syms)
	e.cache.put(word, syms)
	for _, id := range syms {
		ids = append(ids, int(id))
	}
	return ids
}

// appendText appends the ids of text, cut into GPT-2 pre-tokens.
func (e *byteEncoder) appendText(text string, ids []int) []int {
	for i := 0; i < len(text); {
		n := nextGPT2(text, i)
		ids = e.appendWord(text[i:i+n], ids)
		i += n
	}
	return ids
}
